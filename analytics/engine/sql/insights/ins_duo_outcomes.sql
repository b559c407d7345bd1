-- grain: one row per duo known on $as_of that has an exit or a 12-month
-- follow-up outcome (mart_duo_outcomes), with the flags the handbook defines
-- on those statuses. A duo absent from this model has neither: read its
-- flags as false (coalesce) after a left join.
--   has_exit_outcome   an exit outcome is recorded
--   is_positive_exit   its status is positive under the outcome definition in
--                      force ($outcome_statuses; under stable_job an
--                      `employed` exit also needs a contract in
--                      $outcome_stable_contracts, as mart_duo_stages reads it;
--                      the default definition: employed, self_employed,
--                      training, internship)
--   is_job_exit        its status is a job ($job_statuses)
--   has_followup_12m   a followup_12m outcome is recorded
--   is_job_at_12m      the latest followup_12m status is a job
select
    mart_duo_outcomes.duo_id,
    mart_duo_outcomes.exit_status,
    mart_duo_outcomes.exit_status is not null as has_exit_outcome,
    coalesce(list_contains($outcome_statuses, mart_duo_outcomes.exit_status)
        and (not $outcome_employed_needs_contract or mart_duo_outcomes.exit_status <> 'employed'
            or coalesce(list_contains($outcome_stable_contracts, ins_exit_contracts.exit_contract), false)),
        false) as is_positive_exit,
    coalesce(list_contains($job_statuses, mart_duo_outcomes.exit_status), false) as is_job_exit,
    mart_duo_outcomes.followup_12m_status is not null as has_followup_12m,
    coalesce(list_contains($job_statuses, mart_duo_outcomes.followup_12m_status), false) as is_job_at_12m
from mart_duo_outcomes
left join ins_exit_contracts on ins_exit_contracts.duo_id = mart_duo_outcomes.duo_id
