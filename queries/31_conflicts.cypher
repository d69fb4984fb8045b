// title: Where does the evidence point both ways?
// description: Conflict flags: a variant, drug (or drug combination) and disease with claims for
// description: sensitivity and for resistance, or for and against the same effect, from CIViC,
// description: the curated files or both. One row per claim on either side, each with its own
// description: citation (bib key and locator, or CIViC EID and URL). $variant = '' lists all.
// param: variant = ""
// returns: conflict_id, kind, variant_id, variant, drug_id, drugs, disease_id, disease, side, claim_id, source, direction, evidence_level, citation, locator, url
MATCH (cf:Conflict)-[s:CONFLICT_SIDE]->(c:Claim)
WHERE $variant = '' OR cf.variant_id = $variant
OPTIONAL MATCH (v:Variant {id: cf.variant_id})
OPTIONAL MATCH (dis:Disease {id: cf.disease_id})
UNWIND coalesce(cf.drug_ids, []) + [null] AS drug_id
OPTIONAL MATCH (d:Drug {id: drug_id})
WITH cf, s, c, v, dis, collect(d.name) AS drugs
RETURN cf.id AS conflict_id, cf.kind AS kind, cf.variant_id AS variant_id,
       coalesce(v.name, cf.variant_id) AS variant, cf.drug_id AS drug_id, drugs,
       cf.disease_id AS disease_id, dis.name AS disease, s.side AS side,
       c.id AS claim_id, c.source AS source, s.direction AS direction,
       s.evidence_level AS evidence_level,
       coalesce(s.source_record_id, s.bib_key) AS citation, s.locator AS locator,
       s.source_url AS url
ORDER BY variant, drug_id, disease_id, side, claim_id
