// title: Which drugs, resistance mechanisms, local therapies and diagnostic procedures are there?
// description: Every drug (with the genes it targets, its class and ALK-inhibitor generation),
// description: resistance mechanism (with its category: on_target, off_target_bypass,
// description: histologic_transformation, pharmacokinetic), local therapy and diagnostic
// description: procedure, with name and synonyms. The tumour-board sheet (kg.sheets) resolves
// description: a scenario's drugs against it and finds the mechanisms of a site of progression.
// returns: id, label, name, synonyms, category, drug_class, generation, targets
MATCH (n)
WHERE n:Drug OR n:ResistanceMechanism OR n:LocalTherapy OR n:DiagnosticProcedure
OPTIONAL MATCH (n)-[:TARGETS]->(g:Gene)
RETURN n.id AS id, [l IN labels(n) WHERE l <> 'Node'][0] AS label, n.name AS name, n.synonyms AS synonyms,
       n.category AS category, n.drug_class AS drug_class, n.generation AS generation,
       collect(DISTINCT g.name) AS targets
ORDER BY label, name, id
