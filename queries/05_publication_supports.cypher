// title: What does a publication support?
// description: Every edge whose citation is the work (trial reports, figures, claims...),
// description: with its locator: one index seek on bib_key per relationship type
// description: (the body is kg.cypher.citation_lookup_query(), checked by tests/queries).
// param: key = nakagawa2020jalex
// returns: relation, from_id, from_name, from_label, to_id, to_name, to_label, locator
CALL {
MATCH (a)-[r:ABOUT_DISEASE {bib_key: $key}]->(b) RETURN a, r, b
UNION ALL
MATCH (a)-[r:ACCESS_LIMITED_IN {bib_key: $key}]->(b) RETURN a, r, b
UNION ALL
MATCH (a)-[r:ASSERTED_IN {bib_key: $key}]->(b) RETURN a, r, b
UNION ALL
MATCH (a)-[r:CAUSES_FAILURE_OF {bib_key: $key}]->(b) RETURN a, r, b
UNION ALL
MATCH (a)-[r:CITES {bib_key: $key}]->(b) RETURN a, r, b
UNION ALL
MATCH (a)-[r:CITES_SOURCE {bib_key: $key}]->(b) RETURN a, r, b
UNION ALL
MATCH (a)-[r:CLASSIFIED_AS {bib_key: $key}]->(b) RETURN a, r, b
UNION ALL
MATCH (a)-[r:COMPARATOR_ARM {bib_key: $key}]->(b) RETURN a, r, b
UNION ALL
MATCH (a)-[r:COMPONENT_OF {bib_key: $key}]->(b) RETURN a, r, b
UNION ALL
MATCH (a)-[r:CONFERS_RESISTANCE_TO {bib_key: $key}]->(b) RETURN a, r, b
UNION ALL
MATCH (a)-[r:CONFERS_SENSITIVITY_TO {bib_key: $key}]->(b) RETURN a, r, b
UNION ALL
MATCH (a)-[r:CONFLICT_SIDE {bib_key: $key}]->(b) RETURN a, r, b
UNION ALL
MATCH (a)-[r:DETECTED_BY {bib_key: $key}]->(b) RETURN a, r, b
UNION ALL
MATCH (a)-[r:EFFECTIVE_IN {bib_key: $key}]->(b) RETURN a, r, b
UNION ALL
MATCH (a)-[r:EXPERIMENTAL_ARM {bib_key: $key}]->(b) RETURN a, r, b
UNION ALL
MATCH (a)-[r:EXTENDS_BENEFIT_OF {bib_key: $key}]->(b) RETURN a, r, b
UNION ALL
MATCH (a)-[r:GUIDES_THERAPY_IN {bib_key: $key}]->(b) RETURN a, r, b
UNION ALL
MATCH (a)-[r:HAS_ARM {bib_key: $key}]->(b) RETURN a, r, b
UNION ALL
MATCH (a)-[r:HAS_MOLECULAR_PROFILE {bib_key: $key}]->(b) RETURN a, r, b
UNION ALL
MATCH (a)-[r:HAS_OBJECT {bib_key: $key}]->(b) RETURN a, r, b
UNION ALL
MATCH (a)-[r:HAS_OUTCOME {bib_key: $key}]->(b) RETURN a, r, b
UNION ALL
MATCH (a)-[r:HAS_SUBJECT {bib_key: $key}]->(b) RETURN a, r, b
UNION ALL
MATCH (a)-[r:INVOLVES_GENE {bib_key: $key}]->(b) RETURN a, r, b
UNION ALL
MATCH (a)-[r:INVOLVES_THERAPY {bib_key: $key}]->(b) RETURN a, r, b
UNION ALL
MATCH (a)-[r:IN_TRIAL {bib_key: $key}]->(b) RETURN a, r, b
UNION ALL
MATCH (a)-[r:MEASURED_IN {bib_key: $key}]->(b) RETURN a, r, b
UNION ALL
MATCH (a)-[r:NOT_SUPERIOR_TO {bib_key: $key}]->(b) RETURN a, r, b
UNION ALL
MATCH (a)-[r:PREVALENT_IN {bib_key: $key}]->(b) RETURN a, r, b
UNION ALL
MATCH (a)-[r:RECEIVES {bib_key: $key}]->(b) RETURN a, r, b
UNION ALL
MATCH (a)-[r:REPLIES_TO {bib_key: $key}]->(b) RETURN a, r, b
UNION ALL
MATCH (a)-[r:REPORTED_IN {bib_key: $key}]->(b) RETURN a, r, b
UNION ALL
MATCH (a)-[r:STUDIES {bib_key: $key}]->(b) RETURN a, r, b
UNION ALL
MATCH (a)-[r:SUPERIOR_TO {bib_key: $key}]->(b) RETURN a, r, b
UNION ALL
MATCH (a)-[r:SUPPORTED_BY {bib_key: $key}]->(b) RETURN a, r, b
UNION ALL
MATCH (a)-[r:SUPPORTED_BY_OUTCOME {bib_key: $key}]->(b) RETURN a, r, b
UNION ALL
MATCH (a)-[r:TARGETS {bib_key: $key}]->(b) RETURN a, r, b
UNION ALL
MATCH (a)-[r:VARIANT_OF {bib_key: $key}]->(b) RETURN a, r, b
}
RETURN type(r) AS relation, a.id AS from_id, a.name AS from_name,
       [l IN labels(a) WHERE l <> 'Node'][0] AS from_label, b.id AS to_id, b.name AS to_name,
       [l IN labels(b) WHERE l <> 'Node'][0] AS to_label, r.locator AS locator
ORDER BY relation, from_id, to_id
