-- title: Rounds by mediator
-- description: How many rounds each mediator or host took part in, per track, with the first and last date.
-- group: How did the talks unfold?
SELECT
  a.name AS mediator,
  p.role,
  r.track,
  count(*) AS rounds,
  min(r.start_date) AS first_round,
  max(r.start_date) AS last_round
FROM round_participants p
JOIN negotiation_rounds r ON r.round_id = p.round_id
JOIN actors a ON a.actor_id = p.actor_id
WHERE p.role IN ('mediator', 'host')
GROUP BY a.name, p.role, r.track
ORDER BY rounds DESC, mediator
