// title: Which nodes mention all of these words?
// description: Nodes whose search text (name, synonyms, HGVS, title, statement, quote ...)
// description: contains every lower-case term in $terms, optionally only of the labels in
// description: $labels. The portable search (works on Neo4j too) and the browser's pickers.
// description: search_lower is the FalkorDB loader's lower-case copy of search_text; a store
// description: without it (Neo4j) lower-cases search_text (else the name) on the fly.
// param: terms = ["alectinib"]
// param: labels = []
// param: limit = 50
// returns: id, label, name, synonyms, source
MATCH (n:Node)
WHERE (size($labels) = 0 OR any(l IN labels(n) WHERE l IN $labels))
  AND all(t IN $terms WHERE CASE WHEN n.search_lower IS NULL
                           THEN toLower(coalesce(n.search_text, n.name, '')) ELSE n.search_lower END
                           CONTAINS t)
RETURN n.id AS id, [l IN labels(n) WHERE l <> 'Node'][0] AS label, n.name AS name, n.synonyms AS synonyms,
       n.source AS source
ORDER BY label, name, id
LIMIT $limit
