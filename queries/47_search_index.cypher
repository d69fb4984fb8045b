// title: What can the search box find?
// description: Every node with the fields the browser's search reads: its names (name,
// description: synonyms, HGVS, gene symbol, id) and its text (title, statement, quote, full
// description: name, bib key, endpoint, population, description). kg/search.py builds its
// description: in-memory index (any-word, synonyms, typo tolerance) from these rows, once per
// description: graph version; portable, so the same search runs on FalkorDB and Neo4j.
// returns: id, label, name, synonyms, hgvs_p, gene_symbol, title, statement, quote, full_name, bib_key, endpoint, population, description, source
MATCH (n)
RETURN n.id AS id, [l IN labels(n) WHERE l <> 'Node'][0] AS label, n.name AS name,
       n.synonyms AS synonyms, n.hgvs_p AS hgvs_p, n.gene_symbol AS gene_symbol, n.title AS title,
       n.statement AS statement, n.quote AS quote, n.full_name AS full_name,
       n.bib_key AS bib_key, n.endpoint AS endpoint, n.population AS population,
       n.description AS description, n.source AS source
ORDER BY id
