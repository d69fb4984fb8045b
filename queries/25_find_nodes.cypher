// title: Which nodes mention all of these words?
// description: Nodes whose search text (name, synonyms, HGVS, title, statement, quote ...)
// description: contains every lower-case term in $terms, optionally only of the labels in
// description: $labels. The portable search (works on Neo4j too) and the browser's pickers.
// param: terms = ["alectinib"]
// param: labels = []
// param: limit = 50
// returns: id, label, name, synonyms, source
MATCH (n)
WHERE (size($labels) = 0 OR labels(n)[0] IN $labels)
  AND all(t IN $terms WHERE toLower(coalesce(n.search_text, n.name, '')) CONTAINS t)
RETURN n.id AS id, labels(n)[0] AS label, n.name AS name, n.synonyms AS synonyms,
       n.source AS source
ORDER BY label, name, id
LIMIT $limit
