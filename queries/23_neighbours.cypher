// title: What is directly linked to these nodes?
// description: Every relationship touching a node whose id is in $ids, with the node at the
// description: other end and the relationship's evidence qualifiers. An edge between two nodes
// description: of $ids comes back once from each end. Entity pages and the graph view use it.
// param: ids = ["drug:alectinib"]
// returns: node_id, rel, source_id, target_id, other_id, other_label, other_name, claim_id, direction, evidence_level, edge_source
MATCH (n:Node)-[r]-(m)
WHERE n.id IN $ids
RETURN n.id AS node_id, type(r) AS rel, startNode(r).id AS source_id,
       endNode(r).id AS target_id, m.id AS other_id, [l IN labels(m) WHERE l <> 'Node'][0] AS other_label,
       m.name AS other_name, r.claim_id AS claim_id, r.direction AS direction,
       r.evidence_level AS evidence_level, r.source AS edge_source
ORDER BY node_id, rel, other_id
