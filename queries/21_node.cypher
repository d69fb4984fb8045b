// title: What is the node with this id?
// description: The label and every property of the node whose id is $id; no row when the id
// description: is unknown. The browser's entity pages start here. An index seek on the
// description: shared label Node's id, whatever the node's own label.
// param: id = drug:alectinib
// returns: id, label, props
MATCH (n:Node {id: $id})
RETURN n.id AS id, [l IN labels(n) WHERE l <> 'Node'][0] AS label, properties(n) AS props
