// title: How many works does the bibliography hold?
// description: The number of publications 28_references pages through for the same $source
// description: and $words (same filter), and how many of them come from each source.
// param: source = both
// param: words = []
// returns: total, curated, civic
MATCH (p:Publication)
WITH p, CASE WHEN p.source = 'civic' AND p.bib_key IS NULL THEN 'civic' ELSE 'curated' END
     AS src
WHERE ($source = 'both' OR src = $source)
  AND (size($words) = 0
       OR all(w IN $words WHERE toLower(coalesce(p.title, '') + ' ' + coalesce(p.name, '')
              + ' ' + reduce(a = '', x IN coalesce(p.authors, []) | a + ' ' + x) + ' '
              + coalesce(p.journal, '') + ' ' + coalesce(toString(p.year), '') + ' '
              + coalesce(p.bib_key, '') + ' ' + coalesce(p.pub_kind, '') + ' ' + p.id)
              CONTAINS w))
RETURN count(p) AS total, sum(CASE WHEN src = 'curated' THEN 1 ELSE 0 END) AS curated,
       sum(CASE WHEN src = 'civic' THEN 1 ELSE 0 END) AS civic
