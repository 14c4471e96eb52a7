-- title: Casualty estimates over time by estimator
-- description: Every estimate in as-of order, one series per estimator, subject, population, category and estimate type. Figures from different estimators are never combined.
-- group: What did the war cost, and who holds what?
SELECT
  c.estimator_id,
  c.subject_id,
  c.population,
  c.category,
  c.estimate_type,
  c.period_start,
  c.as_of_date,
  c.value_best,
  c.value_low,
  c.value_high,
  c.estimate_id,
  c.source_id
FROM casualties c
ORDER BY c.estimator_id, c.subject_id, c.population, c.category, c.estimate_type, c.period_start, c.as_of_date
