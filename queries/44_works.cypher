// title: What are the bibliographic records of these works?
// description: Every property of each publication whose id is in $ids (authors, title,
// description: journal, year, volume, pages, DOI, PMID, bib key, entry type): what a
// description: bibliography or a BibTeX file of exactly these works needs.
// param: ids = ["PMID:27432227"]
// returns: id, pub
MATCH (p:Publication)
WHERE p.id IN $ids
RETURN p.id AS id, properties(p) AS pub
ORDER BY id
