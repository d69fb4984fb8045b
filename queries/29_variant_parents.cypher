// title: Which mechanisms and molecular profiles does a variant belong to?
// description: For each variant in $ids (every variant when $ids is empty): the resistance
// description: mechanisms it is classified as (CLASSIFIED_AS) and the compound mutations and
// description: CIViC molecular profiles it is a component of (COMPONENT_OF). Evidence given
// description: for such a parent is shown on the variant as inherited ("via ..."), never
// description: mixed with the variant's own evidence. variant_type tells fusions apart.
// param: ids = ["ALK:p.G1202R"]
// returns: variant_id, variant_name, variant_type, variant_gene, parent_id, parent_label, parent_name, relation
MATCH (v:Variant)-[r:CLASSIFIED_AS|COMPONENT_OF]->(p)
WHERE size($ids) = 0 OR v.id IN $ids
OPTIONAL MATCH (v)-[:VARIANT_OF]->(g:Gene)
WITH v, r, p, head(collect(g.name)) AS gene
RETURN v.id AS variant_id, v.name AS variant_name, v.variant_type AS variant_type,
       coalesce(v.gene_symbol, gene) AS variant_gene, p.id AS parent_id,
       [l IN labels(p) WHERE l <> 'Node'][0] AS parent_label, p.name AS parent_name, type(r) AS relation
ORDER BY variant_id, parent_id
