// title: What does a publication support?
// description: Every edge whose citation is the work (trial reports, figures, claims, targets,
// description: variant classifications), with the locator inside the work.
// param: key = nakagawa2020jalex
// returns: relation, from_id, from_name, from_label, to_id, to_name, to_label, locator
MATCH (a)-[r]->(b)
WHERE r.bib_key = $key
RETURN type(r) AS relation, a.id AS from_id, a.name AS from_name, labels(a)[0] AS from_label,
       b.id AS to_id, b.name AS to_name, labels(b)[0] AS to_label, r.locator AS locator
ORDER BY relation, from_id, to_id
