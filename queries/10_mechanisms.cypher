// title: Which resistance mechanisms are there, and what instances do they have?
// description: Each resistance mechanism with its category, the genes it involves and the
// description: variants classified under it.
// returns: mechanism_id, mechanism, category, genes, variants
MATCH (m:ResistanceMechanism)
OPTIONAL MATCH (m)-[:INVOLVES_GENE]->(g:Gene)
OPTIONAL MATCH (v:Variant)-[:CLASSIFIED_AS]->(m)
RETURN m.id AS mechanism_id, m.name AS mechanism, m.category AS category,
       collect(DISTINCT g.name) AS genes, collect(DISTINCT v.name) AS variants
ORDER BY category, mechanism
