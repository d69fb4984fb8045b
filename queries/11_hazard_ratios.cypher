// title: Which hazard ratios were published, trial by trial?
// description: Every hazard ratio with its CI, the CI's level, the two arms compared and the
// description: citation: the rows behind a forest plot.
// returns: trial, endpoint, population, assessment, experimental, comparator, value_text, value, ci_low_text, ci_low, ci_high_text, ci_high, ci_level_text, p_value_text, data_cutoff, citation, locator, outcome_id
MATCH (t:Trial)-[:HAS_OUTCOME]->(o:Outcome {measure: 'hazard_ratio'})
MATCH (o)-[:EXPERIMENTAL_ARM]->(e:Arm)
MATCH (o)-[:COMPARATOR_ARM]->(c:Arm)
RETURN t.name AS trial, o.endpoint AS endpoint, o.population AS population,
       o.assessment AS assessment, e.name AS experimental, c.name AS comparator,
       o.value_text AS value_text, o.value AS value, o.ci_low_text AS ci_low_text,
       o.ci_low AS ci_low, o.ci_high_text AS ci_high_text, o.ci_high AS ci_high,
       o.ci_level_text AS ci_level_text, o.p_value_text AS p_value_text,
       o.data_cutoff AS data_cutoff, o.bib_key AS citation, o.locator AS locator,
       o.id AS outcome_id
ORDER BY endpoint, trial, population, outcome_id
