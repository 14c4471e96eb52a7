-- title: Territory controlled over time by assessor
-- description: Area and share of Ukraine assessed as held by each claimant, one series per assessor, oldest first. share_implied_by_area_pct is area_km2 over the area of Ukraine in territories, to compare assessors that give only square kilometres.
-- group: What did the war cost, and who holds what?
SELECT
  t.date,
  t.assessed_by,
  a.name AS assessor,
  t.claimant_id,
  t.territory_id,
  t.area_km2,
  t.share_of_ukraine_pct,
  round(t.area_km2 * 100.0 / u.area_km2, 2) AS share_implied_by_area_pct,
  t.claim_id,
  t.source_id
FROM territory_claims t
JOIN actors a ON a.actor_id = t.assessed_by
LEFT JOIN territories u ON u.territory_id = 'UA'
WHERE t.claim_type = 'control_assessed'
ORDER BY t.assessed_by, t.territory_id, t.date
