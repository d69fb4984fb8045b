// title: Which variants, resistance mechanisms and genes could a typed alteration name?
// description: The variants, resistance mechanisms and genes whose search text (name,
// description: synonyms, HGVS) contains every lower-case term of $terms, with what ranking
// description: needs (name, synonyms, HGVS). The tumour-board sheet normalises free text
// description: ("G1202R", "ALK p.G1202R", "MET amplification") with it and kg.search's
// description: ranking. One part per label, so each scans its own label only.
// param: terms = ["g1202r"]
// returns: id, label, name, synonyms, hgvs_p, source
MATCH (n:Variant)
WHERE all(t IN $terms WHERE CASE WHEN n.search_lower IS NULL
                           THEN toLower(coalesce(n.search_text, n.name, '')) ELSE n.search_lower END
                           CONTAINS t)
RETURN n.id AS id, 'Variant' AS label, n.name AS name, n.synonyms AS synonyms,
       n.hgvs_p AS hgvs_p, n.source AS source
UNION ALL
MATCH (n:ResistanceMechanism)
WHERE all(t IN $terms WHERE CASE WHEN n.search_lower IS NULL
                           THEN toLower(coalesce(n.search_text, n.name, '')) ELSE n.search_lower END
                           CONTAINS t)
RETURN n.id AS id, 'ResistanceMechanism' AS label, n.name AS name, n.synonyms AS synonyms,
       n.hgvs_p AS hgvs_p, n.source AS source
UNION ALL
MATCH (n:Gene)
WHERE all(t IN $terms WHERE CASE WHEN n.search_lower IS NULL
                           THEN toLower(coalesce(n.search_text, n.name, '')) ELSE n.search_lower END
                           CONTAINS t)
RETURN n.id AS id, 'Gene' AS label, n.name AS name, n.synonyms AS synonyms,
       n.hgvs_p AS hgvs_p, n.source AS source
