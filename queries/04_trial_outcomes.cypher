// title: What did a trial report, by arm and endpoint?
// description: Every figure of the trial as published (text, not re-formatted numbers), with its
// description: arm or comparison, CI and its level, p value, and the citation with locator.
// param: trial = JapicCTI-132316
// returns: endpoint, measure, population, assessment, arm, value_text, unit, ci_low_text, ci_high_text, ci_level_text, p_value_text, data_cutoff, citation, locator, outcome_id
MATCH (t:Trial {id: $trial})-[:HAS_OUTCOME]->(o:Outcome)
OPTIONAL MATCH (o)-[:MEASURED_IN]->(a:Arm)
OPTIONAL MATCH (o)-[:EXPERIMENTAL_ARM]->(e:Arm)
OPTIONAL MATCH (o)-[:COMPARATOR_ARM]->(c:Arm)
RETURN o.endpoint AS endpoint, o.measure AS measure, o.population AS population,
       o.assessment AS assessment, coalesce(a.name, e.name + ' vs ' + c.name) AS arm,
       o.value_text AS value_text, o.unit AS unit, o.ci_low_text AS ci_low_text,
       o.ci_high_text AS ci_high_text, o.ci_level_text AS ci_level_text,
       o.p_value_text AS p_value_text, o.data_cutoff AS data_cutoff, o.bib_key AS citation,
       o.locator AS locator, o.id AS outcome_id
ORDER BY endpoint, measure, population, arm, outcome_id
