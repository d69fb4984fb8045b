// title: Which works are in the bibliography, and what does each support?
// description: Every publication with its bibliographic fields, the claims it makes or is
// description: cited for, the trials and figures it reports, and the works it cites or
// description: replies to and those that cite it.
// returns: id, pub, supports, cites, cited_by
MATCH (p:Publication)
OPTIONAL MATCH (p)<-[r:ASSERTED_IN|CITES_SOURCE|REPORTED_IN]-(x)
WITH p, [e IN collect({rel: type(r), id: x.id, label: labels(x)[0], name: x.name})
         WHERE e.id IS NOT NULL] AS supports
OPTIONAL MATCH (p)-[:CITES|REPLIES_TO]->(q:Publication)
WITH p, supports, [x IN collect(DISTINCT q) | {id: x.id, name: x.name}] AS cites
OPTIONAL MATCH (p)<-[:CITES|REPLIES_TO]-(b:Publication)
WITH p, supports, cites, [x IN collect(DISTINCT b) | {id: x.id, name: x.name}] AS cited_by
RETURN p.id AS id, properties(p) AS pub, supports, cites, cited_by
ORDER BY p.name, p.id
