-- grain: one row per duo known on $as_of (mart_duos), with the outcome flags
-- the handbook defines on mart_duo_outcomes' statuses:
--   has_exit_outcome   an exit outcome is recorded
--   is_positive_exit   its status is positive ($positive_statuses:
--                      employed, self_employed, training, internship);
--                      no exit outcome = not positive
--   is_job_exit        its status is a job ($job_statuses)
--   has_followup_12m   a followup_12m outcome is recorded
--   is_job_at_12m      the latest followup_12m status is a job
select
    mart_duos.duo_id,
    mart_duo_outcomes.exit_status,
    mart_duo_outcomes.exit_status is not null as has_exit_outcome,
    coalesce(list_contains($positive_statuses, mart_duo_outcomes.exit_status), false) as is_positive_exit,
    coalesce(list_contains($job_statuses, mart_duo_outcomes.exit_status), false) as is_job_exit,
    mart_duo_outcomes.followup_12m_status is not null as has_followup_12m,
    coalesce(list_contains($job_statuses, mart_duo_outcomes.followup_12m_status), false) as is_job_at_12m
from mart_duos
left join mart_duo_outcomes on mart_duo_outcomes.duo_id = mart_duos.duo_id
