// title: How is a variant connected to a drug?
// description: Shortest-first paths of up to three hops between the variant and the drug, in
// description: either direction, naming each node and relationship on the way. Both ends are
// description: bound first (index seeks), so the paths are expanded into the drug, not filtered.
// param: variant = ALK:p.G1202R
// param: drug = drug:lorlatinib
// returns: hops, nodes, relations
MATCH (v:Variant {id: $variant})
MATCH (d:Drug {id: $drug})
OPTIONAL MATCH path = (v)-[*1..3]-(d)
WITH path WHERE path IS NOT NULL
RETURN length(path) AS hops, [n IN nodes(path) | n.name] AS nodes,
       [r IN relationships(path) | type(r)] AS relations
ORDER BY hops
LIMIT 25
