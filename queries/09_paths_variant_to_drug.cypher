// title: How is a variant connected to a drug?
// description: Shortest-first paths of up to three hops between the variant and the drug, in
// description: either direction, naming each node and relationship on the way.
// param: variant = ALK:p.G1202R
// param: drug = drug:lorlatinib
// returns: hops, nodes, relations
MATCH path = (v:Variant {id: $variant})-[*1..3]-(d:Drug {id: $drug})
RETURN length(path) AS hops, [n IN nodes(path) | n.name] AS nodes,
       [r IN relationships(path) | type(r)] AS relations
ORDER BY hops
LIMIT 25
