// title: How big is the graph?
// description: Node counts by label, the first thing to run on a new graph. Every node also
// description: carries the shared label Node; a node's own label is the other one.
// returns: label, nodes
MATCH (n:Node)
RETURN [l IN labels(n) WHERE l <> 'Node'][0] AS label, count(n) AS nodes
ORDER BY label
