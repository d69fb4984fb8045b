// title: Where was each published figure read, and from which analysis?
// description: For each figure (Outcome) in $ids, or every figure when $ids is empty: the
// description: analysis it belongs to (primary, interim, final, update, post hoc, as the
// description: source names it), its data cut-off, the kind of source it was copied from
// description: (journal abstract, full text, regulatory label, congress abstract) and where
// description: it was read.
// param: ids = []
// returns: outcome_id, analysis, analysis_label, data_cutoff, source_kind, source_url
MATCH (o:Outcome)
WHERE size($ids) = 0 OR o.id IN $ids
RETURN o.id AS outcome_id, o.analysis AS analysis, o.analysis_label AS analysis_label,
       o.data_cutoff AS data_cutoff, o.source_kind AS source_kind, o.source_url AS source_url
ORDER BY outcome_id
