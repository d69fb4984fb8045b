// title: How big is the graph?
// description: Node counts by label, the first thing to run on a new graph.
// returns: label, nodes
MATCH (n)
RETURN labels(n)[0] AS label, count(n) AS nodes
ORDER BY label
