// title: Which claims are about these nodes?
// description: Every claim that names a node of $ids as its subject or object (curated
// description: HAS_SUBJECT / HAS_OBJECT, CIViC HAS_MOLECULAR_PROFILE / INVOLVES_THERAPY), one
// description: row per (claim, node, relationship). The tumour-board sheet gathers a
// description: scenario's evidence with it. (The pattern starts at the node: ten times faster
// description: on FalkorDB than starting at the claims.)
// param: ids = ["ALK:p.G1202R"]
// returns: claim_id, node_id, rel, predicate, direction, evidence_level, source
MATCH (n:Node)<-[r:HAS_SUBJECT|HAS_OBJECT|HAS_MOLECULAR_PROFILE|INVOLVES_THERAPY]-(c:Claim)
WHERE n.id IN $ids
RETURN c.id AS claim_id, n.id AS node_id, type(r) AS rel, c.predicate AS predicate,
       c.direction AS direction, c.evidence_level AS evidence_level, c.source AS source
ORDER BY claim_id, node_id, rel
