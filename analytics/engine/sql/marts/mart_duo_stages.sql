-- grain: one row per duo known on $as_of (mart_duos), with its latest outcome
-- of each stage recorded by $as_of (latest recorded_on, ties -> largest
-- outcome_id as text; stg_outcomes), and whether it counts as positive under
-- the outcome definition in force.
--   exit_status, exit_contract                 the latest exit outcome
--   followup_3m_status, followup_6m_status     the latest follow-up of the stage
--   followup_12m_status, followup_12m_contract the latest 12-month follow-up
--   followup_3m_mark_on, _6m_, _12m_           ended_on + 91, + 182, + 365
--   is_outcome_positive_exit / _12m            the status is one of
--       $outcome_statuses, and, when $outcome_employed_needs_contract, an
--       `employed` status has a contract in $outcome_stable_contracts (the
--       contract of the same row; an empty contract is not stable)
with latest as (
    select
        duo_id,
        stage,
        arg_max({'status': status, 'contract': contract}, (recorded_on, outcome_id)) as outcome
    from stg_outcomes
    group by duo_id, stage
),

by_duo as (
    select
        duo_id,
        max(outcome.status) filter (where stage = 'exit') as exit_status,
        max(outcome.contract) filter (where stage = 'exit') as exit_contract,
        max(outcome.status) filter (where stage = 'followup_3m') as followup_3m_status,
        max(outcome.status) filter (where stage = 'followup_6m') as followup_6m_status,
        max(outcome.status) filter (where stage = 'followup_12m') as followup_12m_status,
        max(outcome.contract) filter (where stage = 'followup_12m') as followup_12m_contract
    from latest
    group by duo_id
)

select
    mart_duos.duo_key,
    mart_duos.duo_id,
    mart_duos.mentee_id,
    mart_duos.mentor_id,
    mart_duos.branch,
    mart_duos.matched_on,
    mart_duos.first_meeting_on,
    mart_duos.ended_on,
    mart_duos.is_realized,
    mart_duos.ended_on + 91 as followup_3m_mark_on,
    mart_duos.ended_on + 182 as followup_6m_mark_on,
    mart_duos.ended_on + 365 as followup_12m_mark_on,
    by_duo.exit_status,
    by_duo.exit_contract,
    by_duo.followup_3m_status,
    by_duo.followup_6m_status,
    by_duo.followup_12m_status,
    by_duo.followup_12m_contract,
    coalesce(list_contains($outcome_statuses, by_duo.exit_status)
        and (not $outcome_employed_needs_contract or by_duo.exit_status <> 'employed'
            or coalesce(list_contains($outcome_stable_contracts, by_duo.exit_contract), false)), false)
        as is_outcome_positive_exit,
    coalesce(list_contains($outcome_statuses, by_duo.followup_12m_status)
        and (not $outcome_employed_needs_contract or by_duo.followup_12m_status <> 'employed'
            or coalesce(list_contains($outcome_stable_contracts, by_duo.followup_12m_contract), false)), false)
        as is_outcome_positive_12m,
    coalesce(list_contains($job_statuses, by_duo.followup_12m_status), false) as is_job_at_12m
from mart_duos
left join by_duo on by_duo.duo_id = mart_duos.duo_id
