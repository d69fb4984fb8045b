// title: Who cites whom?
// description: Citation and reply links between works, with the locator (e.g. the reference
// description: number in the citing work).
// returns: relation, citing, citing_key, cited, cited_key, locator
MATCH (a:Publication)-[r]->(b:Publication)
WHERE type(r) IN ['CITES', 'REPLIES_TO']
RETURN type(r) AS relation, a.name AS citing, a.bib_key AS citing_key, b.name AS cited,
       b.bib_key AS cited_key, r.locator AS locator
ORDER BY citing_key, relation, cited_key
