-- title: Positions on one issue over time
-- description: Every party's position on one issue (e.g. nato_membership, troop_limits, donbas_status), oldest first, with the document or round it comes from.
-- group: Who proposed what?
SELECT
  p.date,
  a.name AS proposed_by,
  p.position,
  p.status,
  d.title AS document,
  p.round_id,
  p.proposal_id,
  p.source_id
FROM proposals p
JOIN actors a ON a.actor_id = p.proposed_by
LEFT JOIN documents d ON d.document_id = p.document_id
WHERE p.issue = :issue
ORDER BY p.date, p.proposed_by, p.proposal_id
