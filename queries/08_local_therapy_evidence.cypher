// title: What is the evidence for local therapy of oligoprogression?
// description: Claims about local therapies (SBRT, surgery, radiosurgery, whole-brain RT): what
// description: they are said to do, who says it, the quote and the locator.
// returns: therapy, claim, predicate, object, direction, evidence_level, quote, asserted_in, citation, locator
MATCH (c:Claim)-[:HAS_SUBJECT]->(lt:LocalTherapy)
OPTIONAL MATCH (c)-[:HAS_OBJECT]->(obj)
OPTIONAL MATCH (c)-[:ASSERTED_IN]->(p:Publication)
RETURN lt.name AS therapy, c.name AS claim, c.predicate AS predicate, obj.name AS object,
       c.direction AS direction, c.evidence_level AS evidence_level, c.quote AS quote,
       p.name AS asserted_in, c.bib_key AS citation, c.locator AS locator
ORDER BY therapy, citation, claim
