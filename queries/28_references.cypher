// title: Which works are in the bibliography, and what does each support?
// description: One page of the bibliography: the publications of $source ('both', 'curated':
// description: the curated bibliography, 'civic': works imported only from CIViC) whose
// description: title, name, authors, journal, year, key, kind or id contain every lower-case
// description: word in $words, sorted by first author (title when there is none), rows
// description: $skip to $skip + $limit; each with its bibliographic fields, the claims it
// description: makes or is cited for, the trials and figures it reports, and the works it
// description: cites or replies to and those that cite it. 33_reference_count counts them all.
// param: source = both
// param: words = []
// param: skip = 0
// param: limit = 100
// returns: id, pub, supports, cites, cited_by
MATCH (p:Publication)
WHERE ($source = 'both'
       OR (CASE WHEN p.source = 'civic' AND p.bib_key IS NULL THEN 'civic' ELSE 'curated' END)
          = $source)
  AND (size($words) = 0
       OR all(w IN $words WHERE toLower(coalesce(p.title, '') + ' ' + coalesce(p.name, '')
              + ' ' + reduce(a = '', x IN coalesce(p.authors, []) | a + ' ' + x) + ' '
              + coalesce(p.journal, '') + ' ' + coalesce(toString(p.year), '') + ' '
              + coalesce(p.bib_key, '') + ' ' + coalesce(p.pub_kind, '') + ' ' + p.id)
              CONTAINS w))
WITH p
ORDER BY toLower(coalesce(head(p.authors), p.title, p.name, p.id)),
         toLower(coalesce(p.title, p.name, '')), p.id
SKIP $skip LIMIT $limit
OPTIONAL MATCH (p)<-[r:ASSERTED_IN|CITES_SOURCE|REPORTED_IN]-(x)
WITH p, [e IN collect({rel: type(r), id: x.id, label: [l IN labels(x) WHERE l <> 'Node'][0], name: x.name})
         WHERE e.id IS NOT NULL] AS supports
OPTIONAL MATCH (p)-[:CITES|REPLIES_TO]->(q:Publication)
WITH p, supports, [x IN collect(DISTINCT q) | {id: x.id, name: x.name}] AS cites
OPTIONAL MATCH (p)<-[:CITES|REPLIES_TO]-(b:Publication)
WITH p, supports, cites, [x IN collect(DISTINCT b) | {id: x.id, name: x.name}] AS cited_by
RETURN p.id AS id, properties(p) AS pub, supports, cites, cited_by
ORDER BY toLower(coalesce(head(p.authors), p.title, p.name, p.id)),
         toLower(coalesce(p.title, p.name, '')), p.id
