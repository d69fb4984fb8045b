// title: What does the letter claim, and what do its sources report?
// description: Each claim made by a work (by default the Dubey et al. 2020 letter), the work it
// description: cites for it, and the figures of that work the claim rests on, side by side.
// param: key = dubey2020letter
// returns: claim_id, claim, predicate, letter_quote, letter_locator, cited_work, cited_key, figure, value_text, unit, figure_locator, figure_quote
MATCH (c:Claim)-[:ASSERTED_IN]->(l:Publication {bib_key: $key})
OPTIONAL MATCH (c)-[:CITES_SOURCE]->(src:Publication)
OPTIONAL MATCH (c)-[:SUPPORTED_BY_OUTCOME]->(o:Outcome)
RETURN c.id AS claim_id, c.name AS claim, c.predicate AS predicate, c.quote AS letter_quote,
       c.locator AS letter_locator, src.name AS cited_work, src.bib_key AS cited_key,
       o.name AS figure, o.value_text AS value_text, o.unit AS unit, o.locator AS figure_locator,
       o.quote AS figure_quote
ORDER BY claim_id, cited_key, figure
