// title: What confers resistance to a drug?
// description: Variants, mechanisms and genes with a cited claim that they make tumours resistant
// description: to the drug, with direction, evidence level and the citation (bib key and locator
// description: for curated evidence, the source record for imported evidence).
// param: drug = drug:crizotinib
// returns: subject_id, subject, subject_label, direction, evidence_level, citation, locator, claim_id, source
MATCH (s)-[r:CONFERS_RESISTANCE_TO]->(d:Drug {id: $drug})
RETURN s.id AS subject_id, s.name AS subject, [l IN labels(s) WHERE l <> 'Node'][0] AS subject_label,
       r.direction AS direction, r.evidence_level AS evidence_level,
       coalesce(r.bib_key, r.source_record_id) AS citation, r.locator AS locator,
       r.claim_id AS claim_id, r.source AS source
ORDER BY subject, evidence_level, citation
