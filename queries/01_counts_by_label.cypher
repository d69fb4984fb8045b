// title: How big is the graph?
// description: Node counts by label, the first thing to run on a new graph. Every node also
// description: carries the shared label Node; a node's own label is the other one (counted
// description: per label list first, so the list is filtered once per label, not per node).
// returns: label, nodes
MATCH (n:Node)
WITH labels(n) AS labels, count(n) AS nodes
RETURN [l IN labels WHERE l <> 'Node'][0] AS label, nodes
ORDER BY label
