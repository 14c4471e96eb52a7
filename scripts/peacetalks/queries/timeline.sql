-- title: Timeline of the negotiations
-- description: Every round in date order with its parties, mediators and hosts (heads of delegation in brackets) and the documents it produced.
-- group: How did the talks unfold?
SELECT
  r.start_date,
  r.end_date,
  r.track,
  r.round_id,
  r.city,
  r.level,
  r.outcome,
  (SELECT group_concat(p.actor_id || coalesce(' [' || p.head_of_delegation || ']', ''), '; ')
     FROM round_participants p WHERE p.round_id = r.round_id AND p.role = 'party') AS parties,
  (SELECT group_concat(p.actor_id || coalesce(' [' || p.head_of_delegation || ']', ''), '; ')
     FROM round_participants p WHERE p.round_id = r.round_id AND p.role IN ('mediator', 'host')) AS mediators_and_hosts,
  (SELECT group_concat(d.title, '; ') FROM documents d WHERE d.round_id = r.round_id) AS documents,
  r.summary,
  r.source_id
FROM negotiation_rounds r
ORDER BY r.start_date, r.round_id
