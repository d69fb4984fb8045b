// title: Which nodes mention all of these words?
// description: Nodes whose search text (name, synonyms, HGVS, title, statement, quote ...)
// description: contains every lower-case term in $terms, optionally only of the labels in
// description: $labels. The portable search (works on Neo4j too) and the browser's pickers.
// description: search_lower is the loader's lower-case copy of search_text (else the name).
// param: terms = ["alectinib"]
// param: labels = []
// param: limit = 50
// returns: id, label, name, synonyms, source
MATCH (n:Node)
WHERE (size($labels) = 0 OR any(l IN labels(n) WHERE l IN $labels))
  AND all(t IN $terms WHERE coalesce(n.search_lower, toLower(n.name), '') CONTAINS t)
RETURN n.id AS id, [l IN labels(n) WHERE l <> 'Node'][0] AS label, n.name AS name, n.synonyms AS synonyms,
       n.source AS source
ORDER BY label, name, id
LIMIT $limit
