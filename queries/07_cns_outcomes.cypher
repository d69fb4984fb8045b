// title: What did the trials show in the brain?
// description: Intracranial and CNS endpoints across trials (intracranial response, CNS
// description: progression, outcomes in patients with baseline CNS or brain metastases).
// returns: outcome_id, trial, endpoint, measure, population, arm, value_text, unit, ci_low_text, ci_high_text, ci_level_text, citation, locator
MATCH (t:Trial)-[:HAS_OUTCOME]->(o:Outcome)
WHERE o.endpoint STARTS WITH 'IC' OR o.endpoint STARTS WITH 'CNS'
   OR toLower(o.population) CONTAINS 'cns' OR toLower(o.population) CONTAINS 'brain'
OPTIONAL MATCH (o)-[:MEASURED_IN]->(a:Arm)
OPTIONAL MATCH (o)-[:EXPERIMENTAL_ARM]->(e:Arm)
OPTIONAL MATCH (o)-[:COMPARATOR_ARM]->(c:Arm)
RETURN o.id AS outcome_id, t.name AS trial, o.endpoint AS endpoint, o.measure AS measure, o.population AS population,
       coalesce(a.name, e.name + ' vs ' + c.name) AS arm, o.value_text AS value_text,
       o.unit AS unit, o.ci_low_text AS ci_low_text, o.ci_high_text AS ci_high_text,
       o.ci_level_text AS ci_level_text, o.bib_key AS citation, o.locator AS locator
ORDER BY trial, endpoint, measure, arm
