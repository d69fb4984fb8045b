// title: What evidence, curated and CIViC, is there for a variant?
// description: Every claim about the variant, or about a CIViC molecular profile that contains it
// description: (such as 'ALK EML4::ALK AND ALK G1202R'), with its source (curated or civic),
// description: evidence type, level, direction, significance, drugs, disease and citation
// description: (bib key and locator for curated claims; CIViC EID, URL and PubMed id for CIViC).
// description: $source is 'civic', 'curated' or 'both'.
// param: variant = ALK:p.G1202R
// param: source = both
// returns: claim_id, source, profile_id, profile, evidence_type, predicate, significance, direction, evidence_level, rating, drugs, disease_id, disease, citation, locator, url, pmid
MATCH (v:Variant {id: $variant})
OPTIONAL MATCH (v)-[:COMPONENT_OF]->(p:Variant)
WITH v, collect(DISTINCT p) AS profiles
UNWIND profiles + [v] AS prof
MATCH (c:Claim)-[:HAS_SUBJECT]->(prof)
WHERE $source = 'both' OR c.source = $source
OPTIONAL MATCH (c)-[:INVOLVES_THERAPY|HAS_OBJECT]->(d:Drug)
OPTIONAL MATCH (c)-[:ABOUT_DISEASE]->(dis:Disease)
WITH c, prof, dis, collect(DISTINCT d.name) AS drugs
RETURN c.id AS claim_id, c.source AS source, prof.id AS profile_id, prof.name AS profile,
       c.evidence_type AS evidence_type, c.predicate AS predicate,
       c.significance AS significance, c.direction AS direction,
       c.evidence_level AS evidence_level, c.rating AS rating, drugs,
       dis.id AS disease_id, dis.name AS disease,
       coalesce(c.source_record_id, c.bib_key) AS citation, c.locator AS locator,
       c.source_url AS url, c.pmid AS pmid
ORDER BY evidence_level, source, claim_id
