// title: What exactly do these claims say, and who says it?
// description: For each claim id in $ids: the claim's properties, the publication that makes
// description: it, its subject(s) and object(s) (curated HAS_SUBJECT/HAS_OBJECT or CIViC
// description: HAS_MOLECULAR_PROFILE/INVOLVES_THERAPY), the works it cites for support, the
// description: published figures it rests on, and the conflicts it is a side of.
// param: ids = ["claim:gainor2016-g1202r-alectinib"]
// returns: claim_id, claim, publication, subjects, objects, cited, outcomes, conflicts
MATCH (c:Claim)
WHERE c.id IN $ids
OPTIONAL MATCH (c)-[:ASSERTED_IN]->(p:Publication)
WITH c, head(collect(p)) AS p
OPTIONAL MATCH (c)-[:HAS_SUBJECT|HAS_MOLECULAR_PROFILE]->(s)
WITH c, p, [x IN collect(DISTINCT s) | {id: x.id, name: x.name, label: [l IN labels(x) WHERE l <> 'Node'][0]}] AS subjects
OPTIONAL MATCH (c)-[:HAS_OBJECT|INVOLVES_THERAPY]->(o)
WITH c, p, subjects,
     [x IN collect(DISTINCT o) | {id: x.id, name: x.name, label: [l IN labels(x) WHERE l <> 'Node'][0]}] AS objects
OPTIONAL MATCH (c)-[:CITES_SOURCE]->(q:Publication)
WITH c, p, subjects, objects,
     [x IN collect(DISTINCT q) | {id: x.id, name: x.name, doi: x.doi, pmid: x.pmid}] AS cited
OPTIONAL MATCH (c)-[:SUPPORTED_BY_OUTCOME]->(f:Outcome)
WITH c, p, subjects, objects, cited,
     [x IN collect(DISTINCT f) | {id: x.id, name: x.name, value_text: x.value_text,
      unit: x.unit, ci_low_text: x.ci_low_text, ci_high_text: x.ci_high_text,
      ci_level_text: x.ci_level_text}] AS outcomes
OPTIONAL MATCH (k:Conflict)-[:CONFLICT_SIDE]->(c)
WITH c, p, subjects, objects, cited, outcomes,
     [x IN collect(DISTINCT k) | {id: x.id, name: x.name, kind: x.kind}] AS conflicts
RETURN c.id AS claim_id, properties(c) AS claim, properties(p) AS publication, subjects,
       objects, cited, outcomes, conflicts
ORDER BY claim_id
