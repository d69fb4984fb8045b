// title: How many nodes of each label, from which source, does the graph hold?
// description: Node counts by label and by the source that produced them (curated, bibtex,
// description: civic), for the browser's home page.
// returns: label, source, n
MATCH (n:Node)
RETURN [l IN labels(n) WHERE l <> 'Node'][0] AS label, n.source AS source, count(*) AS n
ORDER BY label, source
