// title: Which claims are about these nodes?
// description: Every claim that names a node of $ids as its subject or object (curated
// description: HAS_SUBJECT / HAS_OBJECT, CIViC HAS_MOLECULAR_PROFILE / INVOLVES_THERAPY), one
// description: row per (claim, node); only the predicates in $predicates when that list is not
// description: empty. The tumour-board sheet gathers the evidence of a scenario with it.
// param: ids = ["ALK:p.G1202R"]
// param: predicates = []
// returns: claim_id, node_id, rel, predicate, direction, evidence_level, source
MATCH (c:Claim)-[r:HAS_SUBJECT|HAS_OBJECT|HAS_MOLECULAR_PROFILE|INVOLVES_THERAPY]->(n)
WHERE n.id IN $ids AND (size($predicates) = 0 OR c.predicate IN $predicates)
RETURN c.id AS claim_id, n.id AS node_id, type(r) AS rel, c.predicate AS predicate,
       c.direction AS direction, c.evidence_level AS evidence_level, c.source AS source
ORDER BY claim_id, node_id, rel
