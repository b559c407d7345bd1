-- grain: one row per duo known on $as_of that has an exit or a 12-month
-- follow-up outcome recorded by $as_of.
--   exit_status          status of the latest exit outcome
--                        (latest recorded_on, ties -> largest outcome_id as text)
--   followup_12m_status  likewise for the latest followup_12m outcome
-- A duo absent from this mart has neither.
with latest as (
    select
        duo_id,
        stage,
        arg_max(status, (recorded_on, outcome_id)) as status
    from stg_outcomes
    where stage in ('exit', 'followup_12m')
    group by duo_id, stage
)

select
    duo_id,
    max(status) filter (where stage = 'exit') as exit_status,
    max(status) filter (where stage = 'followup_12m') as followup_12m_status
from latest
group by duo_id
