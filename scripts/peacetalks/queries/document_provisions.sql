-- title: What each party proposed in one document
-- description: The coded provisions of one document (give its document_id, e.g. 2022-03-29-istanbul-communique), by party and issue.
-- group: Who proposed what?
SELECT
  a.name AS proposed_by,
  p.issue,
  p.position,
  p.status,
  p.notes,
  p.proposal_id,
  p.source_id
FROM proposals p
JOIN actors a ON a.actor_id = p.proposed_by
WHERE p.document_id = :document_id
ORDER BY p.proposed_by, p.issue, p.proposal_id
