-- title: Claimed versus verified figures for the same subject and date window
-- description: For each verified minimum, the other estimators' figures for the same subject, population and category whose as-of date falls within :days days of it (default 31).
-- group: What did the war cost, and who holds what?
SELECT
  v.subject_id,
  v.population,
  v.category,
  v.as_of_date AS verified_as_of,
  v.estimator_id AS verifier,
  v.value_best AS verified_minimum,
  o.estimator_id AS other_estimator,
  o.estimate_type AS other_type,
  o.as_of_date AS other_as_of,
  o.value_best AS other_best,
  o.value_low AS other_low,
  o.value_high AS other_high,
  o.source_id AS other_source
FROM casualties v
JOIN casualties o
  ON o.subject_id = v.subject_id AND o.population = v.population AND o.category = v.category
 AND o.estimate_type <> 'verified_minimum'
 AND abs(julianday(o.as_of_date) - julianday(v.as_of_date)) <= coalesce(nullif(:days, ''), 31)
WHERE v.estimate_type = 'verified_minimum'
ORDER BY v.subject_id, v.population, v.category, v.as_of_date, o.estimator_id
