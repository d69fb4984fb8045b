// title: How many nodes of each label, from which source, does the graph hold?
// description: Node counts by label and by the source that produced them (curated, bibtex,
// description: civic), for the browser's home page.
// returns: label, source, n
MATCH (n:Node)
WITH labels(n) AS labels, n.source AS source, count(*) AS n
RETURN [l IN labels WHERE l <> 'Node'][0] AS label, source, n
ORDER BY label, source
