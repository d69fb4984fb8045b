// title: When was each piece of evidence published?
// description: Every publication with its year (and exact date when recorded), and the
// description: claims, figures (outcomes) and trials that rest on it: a claim through the
// description: work that makes it (ASSERTED_IN), a figure and a trial through the works that
// description: report them (REPORTED_IN). The browser's "as of" date hides what was
// description: published after it (kg.views.dates).
// returns: pub_id, year, date, claims, outcomes, trials
MATCH (p:Publication)
OPTIONAL MATCH (c:Claim)-[:ASSERTED_IN]->(p)
WITH p, collect(DISTINCT c.id) AS claims
OPTIONAL MATCH (o:Outcome)-[:REPORTED_IN]->(p)
WITH p, claims, collect(DISTINCT o.id) AS outcomes
OPTIONAL MATCH (t:Trial)-[:REPORTED_IN]->(p)
RETURN p.id AS pub_id, p.year AS year, p.date AS date, claims, outcomes,
       collect(DISTINCT t.id) AS trials
ORDER BY pub_id
