// title: Which trials are there, and what did each arm receive?
// description: Trials with their arms (role, size as published, regimen) and what each arm
// description: received (treatment: how several drugs combine, as the source words it, e.g.
// description: 'pemetrexed plus cisplatin or carboplatin'); all trials when $trial is '', else
// description: the trial with that id.
// param: trial = ""
// returns: trial_id, trial_name, phase, design, setting, arm_id, arm_name, role, n_text, regimen, treatment, treatments, treatment_ids
MATCH (t:Trial)-[:HAS_ARM]->(a:Arm)
WHERE $trial = '' OR t.id = $trial
OPTIONAL MATCH (a)-[:RECEIVES]->(x)
WITH t, a, collect(x.name) AS treatments, collect(x.id) AS treatment_ids
RETURN t.id AS trial_id, t.name AS trial_name, t.phase AS phase, t.design AS design,
       t.setting AS setting, a.id AS arm_id, a.name AS arm_name, a.role AS role,
       a.n_text AS n_text, a.regimen AS regimen, a.treatment AS treatment, treatments,
       treatment_ids
ORDER BY trial_name, arm_id
