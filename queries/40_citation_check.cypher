// title: Does the cited work state what the claim says? (citation check)
// description: For each claim made by the work $by (its bib key or id; '' for any work), or
// description: only for the claims in $claims when that list is not empty: every work the
// description: claim cites for its support (CITES_SOURCE; cited_id is null when it cites none)
// description: and what that work itself reports in the graph -- the figures REPORTED_IN it
// description: and the claims ASSERTED_IN it, each with its subjects and objects -- beside the
// description: figures the claim rests on (SUPPORTED_BY_OUTCOME) and the work reporting each.
// description: $cited ('' for any) keeps the claims that cite that work (bib key or id).
// description: kg.views.citations turns the rows into a verdict per cited work.
// param: by = dubey2020letter
// param: claims = []
// param: cited = ""
// returns: claim_id, claim, asserted_in, subjects, objects, rests_on, cited_id, cited, figures, work_claims
MATCH (c:Claim)-[:ASSERTED_IN]->(p:Publication)
WHERE (size($claims) = 0 OR c.id IN $claims) AND ($by = '' OR p.bib_key = $by OR p.id = $by)
OPTIONAL MATCH (c)-[:CITES_SOURCE]->(w:Publication)
WITH c, p, w
WHERE $cited = '' OR w.id = $cited OR w.bib_key = $cited
OPTIONAL MATCH (c)-[:HAS_SUBJECT|HAS_MOLECULAR_PROFILE]->(s)
WITH c, p, w, collect(DISTINCT s.id) AS subjects
OPTIONAL MATCH (c)-[:HAS_OBJECT|INVOLVES_THERAPY]->(o)
WITH c, p, w, subjects, collect(DISTINCT o.id) AS objects
OPTIONAL MATCH (c)-[:SUPPORTED_BY_OUTCOME]->(f:Outcome)
OPTIONAL MATCH (f)-[:REPORTED_IN]->(fp:Publication)
WITH c, p, w, subjects, objects,
     [x IN collect(DISTINCT {id: f.id, name: f.name, pub_id: fp.id}) WHERE x.id IS NOT NULL]
       AS rests_on
OPTIONAL MATCH (wf:Outcome)-[:REPORTED_IN]->(w)
OPTIONAL MATCH (t:Trial)-[:HAS_OUTCOME]->(wf)
WITH c, p, w, subjects, objects, rests_on,
     [x IN collect(DISTINCT {id: wf.id, name: wf.name, trial: t.name, endpoint: wf.endpoint,
                             measure: wf.measure, population: wf.population,
                             value_text: wf.value_text, unit: wf.unit,
                             ci_low_text: wf.ci_low_text, ci_high_text: wf.ci_high_text,
                             ci_level_text: wf.ci_level_text, analysis: wf.analysis,
                             locator: wf.locator, quote: wf.quote,
                             source_kind: wf.source_kind})
      WHERE x.id IS NOT NULL] AS figures
OPTIONAL MATCH (wc:Claim)-[:ASSERTED_IN]->(w)
OPTIONAL MATCH (wc)-[:HAS_SUBJECT|HAS_MOLECULAR_PROFILE]->(ws)
WITH c, p, w, subjects, objects, rests_on, figures, wc, collect(DISTINCT ws.id) AS wsub
OPTIONAL MATCH (wc)-[:HAS_OBJECT|INVOLVES_THERAPY]->(wo)
WITH c, p, w, subjects, objects, rests_on, figures, wc, wsub,
     collect(DISTINCT wo.id) AS wobj
WITH c, p, w, subjects, objects, rests_on, figures,
     [x IN collect({id: wc.id, name: wc.name, predicate: wc.predicate,
                    direction: wc.direction, evidence_level: wc.evidence_level,
                    quote: wc.quote, locator: wc.locator, source_kind: wc.source_kind,
                    subjects: wsub, objects: wobj})
      WHERE x.id IS NOT NULL] AS work_claims
RETURN c.id AS claim_id, properties(c) AS claim, p.id AS asserted_in, subjects, objects,
       rests_on, w.id AS cited_id, CASE WHEN w IS NULL THEN null ELSE properties(w) END AS cited,
       figures, work_claims
ORDER BY claim_id, cited_id
