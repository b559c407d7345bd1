-- grain: one row per duo known on $as_of that has an exit or a 12-month
-- follow-up outcome (mart_duo_outcomes), with the flags the handbook defines
-- on those statuses. A duo absent from this model has neither: read its
-- flags as false (coalesce) after a left join.
--   has_exit_outcome   an exit outcome is recorded
--   is_positive_exit   its status is positive ($positive_statuses:
--                      employed, self_employed, training, internship)
--   is_job_exit        its status is a job ($job_statuses)
--   has_followup_12m   a followup_12m outcome is recorded
--   is_job_at_12m      the latest followup_12m status is a job
select
    duo_id,
    exit_status,
    exit_status is not null as has_exit_outcome,
    coalesce(list_contains($positive_statuses, exit_status), false) as is_positive_exit,
    coalesce(list_contains($job_statuses, exit_status), false) as is_job_exit,
    followup_12m_status is not null as has_followup_12m,
    coalesce(list_contains($job_statuses, followup_12m_status), false) as is_job_at_12m
from mart_duo_outcomes
