// title: Which claims of these kinds are made about these drugs?
// description: Claims with a predicate in $predicates (e.g. EFFECTIVE_IN, SUPERIOR_TO) whose
// description: subject is a drug of $ids: the tumour-board sheet's claims that a drug works,
// description: or works better. (The pattern starts at the claims: a drug such as crizotinib
// description: has thousands of CIViC claims, few of these kinds.)
// param: ids = ["drug:alectinib"]
// param: predicates = ["SUPERIOR_TO", "EFFECTIVE_IN"]
// returns: claim_id, drug_id, predicate, direction, evidence_level, source
MATCH (c:Claim)-[:HAS_SUBJECT]->(d:Drug)
WHERE c.predicate IN $predicates AND d.id IN $ids
RETURN c.id AS claim_id, d.id AS drug_id, c.predicate AS predicate, c.direction AS direction,
       c.evidence_level AS evidence_level, c.source AS source
ORDER BY claim_id, drug_id
