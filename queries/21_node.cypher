// title: What is the node with this id?
// description: The label and every property of the node whose id is $id; no row when the id
// description: is unknown. The browser's entity pages start here.
// param: id = drug:alectinib
// returns: id, label, props
MATCH (n)
WHERE n.id = $id
RETURN n.id AS id, labels(n)[0] AS label, properties(n) AS props
