// title: Which variants and mechanisms make tumours resistant or sensitive to which drugs?
// description: One row per claim of resistance or sensitivity (predicates in $predicates)
// description: from a variant, mechanism or gene to a drug, curated or imported, with its
// description: direction, evidence level, source and the number of conflicts it is a side of.
// description: subject_gene is the variant's gene symbol, else the gene it is a VARIANT_OF
// description: (the gene's own name for a gene).
// param: predicates = ["CONFERS_RESISTANCE_TO", "CONFERS_SENSITIVITY_TO"]
// returns: subject_id, subject_label, subject_name, subject_gene, drug_id, drug_name, claim_id, predicate, direction, evidence_level, source, conflicts
MATCH (c:Claim)-[:HAS_SUBJECT|HAS_MOLECULAR_PROFILE]->(s)
WHERE c.predicate IN $predicates AND (s:Variant OR s:ResistanceMechanism OR s:Gene)
MATCH (c)-[:HAS_OBJECT|INVOLVES_THERAPY]->(d:Drug)
OPTIONAL MATCH (k:Conflict)-[:CONFLICT_SIDE]->(c)
WITH c, s, d, count(DISTINCT k) AS conflicts
OPTIONAL MATCH (s)-[:VARIANT_OF]->(g:Gene)
WITH c, s, d, conflicts, head(collect(g.name)) AS gene
RETURN s.id AS subject_id, [l IN labels(s) WHERE l <> 'Node'][0] AS subject_label, s.name AS subject_name,
       coalesce(s.gene_symbol, gene, CASE WHEN s:Gene THEN s.name ELSE null END)
         AS subject_gene,
       d.id AS drug_id, d.name AS drug_name, c.id AS claim_id, c.predicate AS predicate,
       c.direction AS direction, c.evidence_level AS evidence_level, c.source AS source,
       conflicts
ORDER BY subject_name, drug_name, claim_id
