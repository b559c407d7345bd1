-- grain: one row per mentee's first duo (the handbook's median_days_to_match
-- population: earliest matched_on among all the mentee's duos, ties ->
-- smallest duo_id) matched in [period_from, period_to], for a single bucket,
-- filtered by the duo's branch. days_to_match = matched_on - applied_on.
select
    mart_duos.branch,
    mart_duos.matched_on,
    mart_duos.days_to_match,
    mart_duos.days_to_match <= 30 as is_within_30d
from buckets
join mart_duos on mart_duos.branch = buckets.branch
where mart_duos.is_first_duo_of_mentee
    and mart_duos.matched_on between buckets.period_from and buckets.period_to
-- ties broken by duo_id: a total order
order by mart_duos.branch, mart_duos.days_to_match, mart_duos.matched_on, mart_duos.duo_id
