-- title: Guarantor states proposed by each party
-- description: For each document, which states each party named as guarantors, and which accepted, declined or were objected to.
-- group: Who proposed what?
SELECT
  g.document_id,
  d.title AS document,
  pb.name AS named_by,
  g.role,
  group_concat(s.name, ', ') AS states,
  count(*) AS n_states
FROM (SELECT * FROM guarantor_states ORDER BY state_id) g
JOIN actors s ON s.actor_id = g.state_id
JOIN actors pb ON pb.actor_id = g.proposed_by
JOIN documents d ON d.document_id = g.document_id
GROUP BY g.document_id, g.proposed_by, g.role
ORDER BY d.date, g.document_id, g.proposed_by, g.role
