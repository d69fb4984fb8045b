// title: What figures did the trials publish?
// description: Every published figure (Outcome) of every trial, or of the trial $trial when it
// description: is not '', with the text exactly as published (value_text, ci_*_text,
// description: ci_level_text, p_value_text), its locator and quote, and the publication; the
// description: analysis it comes from (analysis, analysis_label), the kind of text it was read
// description: in (source_kind) and where (read_url: the figure's own source_url).
// param: trial = ""
// returns: trial_id, trial_name, outcome_id, outcome_name, endpoint, measure, population, assessment, arm_id, experimental_arm_id, comparator_arm_id, value, value_text, unit, ci_low, ci_low_text, ci_high, ci_high_text, ci_level_text, p_value_text, timepoint, data_cutoff, quote, bib_key, locator, pub_id, pub_name, doi, pmid, url, analysis, analysis_label, source_kind, read_url
MATCH (t:Trial)-[:HAS_OUTCOME]->(o:Outcome)
WHERE $trial = '' OR t.id = $trial
OPTIONAL MATCH (o)-[:REPORTED_IN]->(p:Publication)
WITH t, o, head(collect(p)) AS p
RETURN t.id AS trial_id, t.name AS trial_name, o.id AS outcome_id, o.name AS outcome_name,
       o.endpoint AS endpoint, o.measure AS measure, o.population AS population,
       o.assessment AS assessment, o.arm_id AS arm_id,
       o.experimental_arm_id AS experimental_arm_id, o.comparator_arm_id AS comparator_arm_id,
       o.value AS value, o.value_text AS value_text, o.unit AS unit, o.ci_low AS ci_low,
       o.ci_low_text AS ci_low_text, o.ci_high AS ci_high, o.ci_high_text AS ci_high_text,
       o.ci_level_text AS ci_level_text, o.p_value_text AS p_value_text,
       o.timepoint AS timepoint, o.data_cutoff AS data_cutoff, o.quote AS quote,
       o.bib_key AS bib_key, o.locator AS locator, p.id AS pub_id, p.name AS pub_name,
       p.doi AS doi, p.pmid AS pmid, p.url AS url, o.analysis AS analysis,
       o.analysis_label AS analysis_label, o.source_kind AS source_kind,
       o.source_url AS read_url
ORDER BY trial_name, endpoint, outcome_id
