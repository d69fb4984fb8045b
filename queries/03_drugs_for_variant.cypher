// title: Which drugs have evidence for or against a variant?
// description: Every cited resistance or sensitivity claim linking the variant to a drug.
// param: variant = ALK:p.G1202R
// returns: drug_id, drug, relation, direction, evidence_level, citation, locator, claim_id, source
MATCH (v:Variant {id: $variant})-[r]->(d:Drug)
WHERE type(r) IN ['CONFERS_RESISTANCE_TO', 'CONFERS_SENSITIVITY_TO']
RETURN d.id AS drug_id, d.name AS drug, type(r) AS relation, r.direction AS direction,
       r.evidence_level AS evidence_level, coalesce(r.bib_key, r.source_record_id) AS citation,
       r.locator AS locator, r.claim_id AS claim_id, r.source AS source
ORDER BY drug, relation, citation
