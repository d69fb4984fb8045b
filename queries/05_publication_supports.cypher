// title: What does a publication support?
// description: Every edge whose citation is the work (trial reports, figures, claims, targets,
// description: variant classifications), with the locator inside the work. One branch per
// description: relationship type, each an index seek on that type's bib_key; the text is
// description: kg.cypher.citation_lookup_query() (tests/queries checks they agree).
// param: key = nakagawa2020jalex
// returns: relation, from_id, from_name, from_label, to_id, to_name, to_label, locator
MATCH (a)-[r:ABOUT_DISEASE]->(b) WHERE r.bib_key = $key
RETURN type(r) AS relation, a.id AS from_id, a.name AS from_name,
       [l IN labels(a) WHERE l <> 'Node'][0] AS from_label, b.id AS to_id, b.name AS to_name,
       [l IN labels(b) WHERE l <> 'Node'][0] AS to_label, r.locator AS locator
ORDER BY from_id, to_id
UNION ALL
MATCH (a)-[r:ACCESS_LIMITED_IN]->(b) WHERE r.bib_key = $key
RETURN type(r) AS relation, a.id AS from_id, a.name AS from_name,
       [l IN labels(a) WHERE l <> 'Node'][0] AS from_label, b.id AS to_id, b.name AS to_name,
       [l IN labels(b) WHERE l <> 'Node'][0] AS to_label, r.locator AS locator
ORDER BY from_id, to_id
UNION ALL
MATCH (a)-[r:ASSERTED_IN]->(b) WHERE r.bib_key = $key
RETURN type(r) AS relation, a.id AS from_id, a.name AS from_name,
       [l IN labels(a) WHERE l <> 'Node'][0] AS from_label, b.id AS to_id, b.name AS to_name,
       [l IN labels(b) WHERE l <> 'Node'][0] AS to_label, r.locator AS locator
ORDER BY from_id, to_id
UNION ALL
MATCH (a)-[r:CAUSES_FAILURE_OF]->(b) WHERE r.bib_key = $key
RETURN type(r) AS relation, a.id AS from_id, a.name AS from_name,
       [l IN labels(a) WHERE l <> 'Node'][0] AS from_label, b.id AS to_id, b.name AS to_name,
       [l IN labels(b) WHERE l <> 'Node'][0] AS to_label, r.locator AS locator
ORDER BY from_id, to_id
UNION ALL
MATCH (a)-[r:CITES]->(b) WHERE r.bib_key = $key
RETURN type(r) AS relation, a.id AS from_id, a.name AS from_name,
       [l IN labels(a) WHERE l <> 'Node'][0] AS from_label, b.id AS to_id, b.name AS to_name,
       [l IN labels(b) WHERE l <> 'Node'][0] AS to_label, r.locator AS locator
ORDER BY from_id, to_id
UNION ALL
MATCH (a)-[r:CITES_SOURCE]->(b) WHERE r.bib_key = $key
RETURN type(r) AS relation, a.id AS from_id, a.name AS from_name,
       [l IN labels(a) WHERE l <> 'Node'][0] AS from_label, b.id AS to_id, b.name AS to_name,
       [l IN labels(b) WHERE l <> 'Node'][0] AS to_label, r.locator AS locator
ORDER BY from_id, to_id
UNION ALL
MATCH (a)-[r:CLASSIFIED_AS]->(b) WHERE r.bib_key = $key
RETURN type(r) AS relation, a.id AS from_id, a.name AS from_name,
       [l IN labels(a) WHERE l <> 'Node'][0] AS from_label, b.id AS to_id, b.name AS to_name,
       [l IN labels(b) WHERE l <> 'Node'][0] AS to_label, r.locator AS locator
ORDER BY from_id, to_id
UNION ALL
MATCH (a)-[r:COMPARATOR_ARM]->(b) WHERE r.bib_key = $key
RETURN type(r) AS relation, a.id AS from_id, a.name AS from_name,
       [l IN labels(a) WHERE l <> 'Node'][0] AS from_label, b.id AS to_id, b.name AS to_name,
       [l IN labels(b) WHERE l <> 'Node'][0] AS to_label, r.locator AS locator
ORDER BY from_id, to_id
UNION ALL
MATCH (a)-[r:COMPONENT_OF]->(b) WHERE r.bib_key = $key
RETURN type(r) AS relation, a.id AS from_id, a.name AS from_name,
       [l IN labels(a) WHERE l <> 'Node'][0] AS from_label, b.id AS to_id, b.name AS to_name,
       [l IN labels(b) WHERE l <> 'Node'][0] AS to_label, r.locator AS locator
ORDER BY from_id, to_id
UNION ALL
MATCH (a)-[r:CONFERS_RESISTANCE_TO]->(b) WHERE r.bib_key = $key
RETURN type(r) AS relation, a.id AS from_id, a.name AS from_name,
       [l IN labels(a) WHERE l <> 'Node'][0] AS from_label, b.id AS to_id, b.name AS to_name,
       [l IN labels(b) WHERE l <> 'Node'][0] AS to_label, r.locator AS locator
ORDER BY from_id, to_id
UNION ALL
MATCH (a)-[r:CONFERS_SENSITIVITY_TO]->(b) WHERE r.bib_key = $key
RETURN type(r) AS relation, a.id AS from_id, a.name AS from_name,
       [l IN labels(a) WHERE l <> 'Node'][0] AS from_label, b.id AS to_id, b.name AS to_name,
       [l IN labels(b) WHERE l <> 'Node'][0] AS to_label, r.locator AS locator
ORDER BY from_id, to_id
UNION ALL
MATCH (a)-[r:CONFLICT_SIDE]->(b) WHERE r.bib_key = $key
RETURN type(r) AS relation, a.id AS from_id, a.name AS from_name,
       [l IN labels(a) WHERE l <> 'Node'][0] AS from_label, b.id AS to_id, b.name AS to_name,
       [l IN labels(b) WHERE l <> 'Node'][0] AS to_label, r.locator AS locator
ORDER BY from_id, to_id
UNION ALL
MATCH (a)-[r:DETECTED_BY]->(b) WHERE r.bib_key = $key
RETURN type(r) AS relation, a.id AS from_id, a.name AS from_name,
       [l IN labels(a) WHERE l <> 'Node'][0] AS from_label, b.id AS to_id, b.name AS to_name,
       [l IN labels(b) WHERE l <> 'Node'][0] AS to_label, r.locator AS locator
ORDER BY from_id, to_id
UNION ALL
MATCH (a)-[r:EFFECTIVE_IN]->(b) WHERE r.bib_key = $key
RETURN type(r) AS relation, a.id AS from_id, a.name AS from_name,
       [l IN labels(a) WHERE l <> 'Node'][0] AS from_label, b.id AS to_id, b.name AS to_name,
       [l IN labels(b) WHERE l <> 'Node'][0] AS to_label, r.locator AS locator
ORDER BY from_id, to_id
UNION ALL
MATCH (a)-[r:EXPERIMENTAL_ARM]->(b) WHERE r.bib_key = $key
RETURN type(r) AS relation, a.id AS from_id, a.name AS from_name,
       [l IN labels(a) WHERE l <> 'Node'][0] AS from_label, b.id AS to_id, b.name AS to_name,
       [l IN labels(b) WHERE l <> 'Node'][0] AS to_label, r.locator AS locator
ORDER BY from_id, to_id
UNION ALL
MATCH (a)-[r:EXTENDS_BENEFIT_OF]->(b) WHERE r.bib_key = $key
RETURN type(r) AS relation, a.id AS from_id, a.name AS from_name,
       [l IN labels(a) WHERE l <> 'Node'][0] AS from_label, b.id AS to_id, b.name AS to_name,
       [l IN labels(b) WHERE l <> 'Node'][0] AS to_label, r.locator AS locator
ORDER BY from_id, to_id
UNION ALL
MATCH (a)-[r:GUIDES_THERAPY_IN]->(b) WHERE r.bib_key = $key
RETURN type(r) AS relation, a.id AS from_id, a.name AS from_name,
       [l IN labels(a) WHERE l <> 'Node'][0] AS from_label, b.id AS to_id, b.name AS to_name,
       [l IN labels(b) WHERE l <> 'Node'][0] AS to_label, r.locator AS locator
ORDER BY from_id, to_id
UNION ALL
MATCH (a)-[r:HAS_ARM]->(b) WHERE r.bib_key = $key
RETURN type(r) AS relation, a.id AS from_id, a.name AS from_name,
       [l IN labels(a) WHERE l <> 'Node'][0] AS from_label, b.id AS to_id, b.name AS to_name,
       [l IN labels(b) WHERE l <> 'Node'][0] AS to_label, r.locator AS locator
ORDER BY from_id, to_id
UNION ALL
MATCH (a)-[r:HAS_MOLECULAR_PROFILE]->(b) WHERE r.bib_key = $key
RETURN type(r) AS relation, a.id AS from_id, a.name AS from_name,
       [l IN labels(a) WHERE l <> 'Node'][0] AS from_label, b.id AS to_id, b.name AS to_name,
       [l IN labels(b) WHERE l <> 'Node'][0] AS to_label, r.locator AS locator
ORDER BY from_id, to_id
UNION ALL
MATCH (a)-[r:HAS_OBJECT]->(b) WHERE r.bib_key = $key
RETURN type(r) AS relation, a.id AS from_id, a.name AS from_name,
       [l IN labels(a) WHERE l <> 'Node'][0] AS from_label, b.id AS to_id, b.name AS to_name,
       [l IN labels(b) WHERE l <> 'Node'][0] AS to_label, r.locator AS locator
ORDER BY from_id, to_id
UNION ALL
MATCH (a)-[r:HAS_OUTCOME]->(b) WHERE r.bib_key = $key
RETURN type(r) AS relation, a.id AS from_id, a.name AS from_name,
       [l IN labels(a) WHERE l <> 'Node'][0] AS from_label, b.id AS to_id, b.name AS to_name,
       [l IN labels(b) WHERE l <> 'Node'][0] AS to_label, r.locator AS locator
ORDER BY from_id, to_id
UNION ALL
MATCH (a)-[r:HAS_SUBJECT]->(b) WHERE r.bib_key = $key
RETURN type(r) AS relation, a.id AS from_id, a.name AS from_name,
       [l IN labels(a) WHERE l <> 'Node'][0] AS from_label, b.id AS to_id, b.name AS to_name,
       [l IN labels(b) WHERE l <> 'Node'][0] AS to_label, r.locator AS locator
ORDER BY from_id, to_id
UNION ALL
MATCH (a)-[r:INVOLVES_GENE]->(b) WHERE r.bib_key = $key
RETURN type(r) AS relation, a.id AS from_id, a.name AS from_name,
       [l IN labels(a) WHERE l <> 'Node'][0] AS from_label, b.id AS to_id, b.name AS to_name,
       [l IN labels(b) WHERE l <> 'Node'][0] AS to_label, r.locator AS locator
ORDER BY from_id, to_id
UNION ALL
MATCH (a)-[r:INVOLVES_THERAPY]->(b) WHERE r.bib_key = $key
RETURN type(r) AS relation, a.id AS from_id, a.name AS from_name,
       [l IN labels(a) WHERE l <> 'Node'][0] AS from_label, b.id AS to_id, b.name AS to_name,
       [l IN labels(b) WHERE l <> 'Node'][0] AS to_label, r.locator AS locator
ORDER BY from_id, to_id
UNION ALL
MATCH (a)-[r:IN_TRIAL]->(b) WHERE r.bib_key = $key
RETURN type(r) AS relation, a.id AS from_id, a.name AS from_name,
       [l IN labels(a) WHERE l <> 'Node'][0] AS from_label, b.id AS to_id, b.name AS to_name,
       [l IN labels(b) WHERE l <> 'Node'][0] AS to_label, r.locator AS locator
ORDER BY from_id, to_id
UNION ALL
MATCH (a)-[r:MEASURED_IN]->(b) WHERE r.bib_key = $key
RETURN type(r) AS relation, a.id AS from_id, a.name AS from_name,
       [l IN labels(a) WHERE l <> 'Node'][0] AS from_label, b.id AS to_id, b.name AS to_name,
       [l IN labels(b) WHERE l <> 'Node'][0] AS to_label, r.locator AS locator
ORDER BY from_id, to_id
UNION ALL
MATCH (a)-[r:NOT_SUPERIOR_TO]->(b) WHERE r.bib_key = $key
RETURN type(r) AS relation, a.id AS from_id, a.name AS from_name,
       [l IN labels(a) WHERE l <> 'Node'][0] AS from_label, b.id AS to_id, b.name AS to_name,
       [l IN labels(b) WHERE l <> 'Node'][0] AS to_label, r.locator AS locator
ORDER BY from_id, to_id
UNION ALL
MATCH (a)-[r:PREVALENT_IN]->(b) WHERE r.bib_key = $key
RETURN type(r) AS relation, a.id AS from_id, a.name AS from_name,
       [l IN labels(a) WHERE l <> 'Node'][0] AS from_label, b.id AS to_id, b.name AS to_name,
       [l IN labels(b) WHERE l <> 'Node'][0] AS to_label, r.locator AS locator
ORDER BY from_id, to_id
UNION ALL
MATCH (a)-[r:RECEIVES]->(b) WHERE r.bib_key = $key
RETURN type(r) AS relation, a.id AS from_id, a.name AS from_name,
       [l IN labels(a) WHERE l <> 'Node'][0] AS from_label, b.id AS to_id, b.name AS to_name,
       [l IN labels(b) WHERE l <> 'Node'][0] AS to_label, r.locator AS locator
ORDER BY from_id, to_id
UNION ALL
MATCH (a)-[r:REPLIES_TO]->(b) WHERE r.bib_key = $key
RETURN type(r) AS relation, a.id AS from_id, a.name AS from_name,
       [l IN labels(a) WHERE l <> 'Node'][0] AS from_label, b.id AS to_id, b.name AS to_name,
       [l IN labels(b) WHERE l <> 'Node'][0] AS to_label, r.locator AS locator
ORDER BY from_id, to_id
UNION ALL
MATCH (a)-[r:REPORTED_IN]->(b) WHERE r.bib_key = $key
RETURN type(r) AS relation, a.id AS from_id, a.name AS from_name,
       [l IN labels(a) WHERE l <> 'Node'][0] AS from_label, b.id AS to_id, b.name AS to_name,
       [l IN labels(b) WHERE l <> 'Node'][0] AS to_label, r.locator AS locator
ORDER BY from_id, to_id
UNION ALL
MATCH (a)-[r:STUDIES]->(b) WHERE r.bib_key = $key
RETURN type(r) AS relation, a.id AS from_id, a.name AS from_name,
       [l IN labels(a) WHERE l <> 'Node'][0] AS from_label, b.id AS to_id, b.name AS to_name,
       [l IN labels(b) WHERE l <> 'Node'][0] AS to_label, r.locator AS locator
ORDER BY from_id, to_id
UNION ALL
MATCH (a)-[r:SUPERIOR_TO]->(b) WHERE r.bib_key = $key
RETURN type(r) AS relation, a.id AS from_id, a.name AS from_name,
       [l IN labels(a) WHERE l <> 'Node'][0] AS from_label, b.id AS to_id, b.name AS to_name,
       [l IN labels(b) WHERE l <> 'Node'][0] AS to_label, r.locator AS locator
ORDER BY from_id, to_id
UNION ALL
MATCH (a)-[r:SUPPORTED_BY]->(b) WHERE r.bib_key = $key
RETURN type(r) AS relation, a.id AS from_id, a.name AS from_name,
       [l IN labels(a) WHERE l <> 'Node'][0] AS from_label, b.id AS to_id, b.name AS to_name,
       [l IN labels(b) WHERE l <> 'Node'][0] AS to_label, r.locator AS locator
ORDER BY from_id, to_id
UNION ALL
MATCH (a)-[r:SUPPORTED_BY_OUTCOME]->(b) WHERE r.bib_key = $key
RETURN type(r) AS relation, a.id AS from_id, a.name AS from_name,
       [l IN labels(a) WHERE l <> 'Node'][0] AS from_label, b.id AS to_id, b.name AS to_name,
       [l IN labels(b) WHERE l <> 'Node'][0] AS to_label, r.locator AS locator
ORDER BY from_id, to_id
UNION ALL
MATCH (a)-[r:TARGETS]->(b) WHERE r.bib_key = $key
RETURN type(r) AS relation, a.id AS from_id, a.name AS from_name,
       [l IN labels(a) WHERE l <> 'Node'][0] AS from_label, b.id AS to_id, b.name AS to_name,
       [l IN labels(b) WHERE l <> 'Node'][0] AS to_label, r.locator AS locator
ORDER BY from_id, to_id
UNION ALL
MATCH (a)-[r:VARIANT_OF]->(b) WHERE r.bib_key = $key
RETURN type(r) AS relation, a.id AS from_id, a.name AS from_name,
       [l IN labels(a) WHERE l <> 'Node'][0] AS from_label, b.id AS to_id, b.name AS to_name,
       [l IN labels(b) WHERE l <> 'Node'][0] AS to_label, r.locator AS locator
ORDER BY from_id, to_id
