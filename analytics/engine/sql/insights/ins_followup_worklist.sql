-- grain: one row per (duo, task) due: the follow-up worklist on $as_of for
-- the realized duos that have ended (on or before $as_of), in the branch
-- filter by the duo's branch (a single bucket). $stage_offsets lists, in
-- task order, each outcome stage and the days after ended_on it is due
-- (insights.FOLLOWUP_OFFSETS):
--   exit_outcome   stage exit, due on ended_on + 0, while the duo has no exit outcome
--   followup_3m    due on ended_on + 91 days  } while the duo has no outcome
--   followup_6m    due on ended_on + 182 days } row of that stage recorded
--   followup_12m   due on ended_on + 365 days } on or before $as_of
-- (365 is the handbook's 12-month mark; 91 and 182 are a quarter and half a
-- year of whole weeks, 13 and 26.) A task is listed when its due date is on or
-- before $as_of + $horizon_days (overdue, or due within the horizon), and,
-- when $max_overdue_days >= 0, no more than that many days overdue (-1: no limit).
-- days_overdue = $as_of - due_on (negative: due in that many days).
with tasks as (
    select
        task_row.stage,
        case task_row.stage when 'exit' then 'exit_outcome' else task_row.stage end as task,
        task_row.offset_days,
        task_row.task_order
    from (select unnest($stage_offsets) as task_row)
),

-- realized duos that have ended (stg_duos reads dates after $as_of as empty)
ended as (
    select stg_duos.duo_id, stg_duos.branch, stg_duos.coordinator_id, stg_duos.ended_on
    from buckets
    join stg_duos on stg_duos.branch = buckets.branch
    where stg_duos.first_meeting_on is not null and stg_duos.ended_on is not null
),

recorded as (
    select distinct stg_outcomes.duo_id, stg_outcomes.stage
    from stg_outcomes
    semi join ended on ended.duo_id = stg_outcomes.duo_id
),

due as (
    select
        ended.duo_id,
        ended.branch,
        ended.coordinator_id,
        ended.ended_on,
        tasks.task,
        tasks.stage,
        tasks.task_order,
        ended.ended_on + tasks.offset_days as due_on
    from ended
    cross join tasks
    where ended.ended_on + tasks.offset_days <= $as_of + $horizon_days
        and ($max_overdue_days < 0 or $as_of - (ended.ended_on + tasks.offset_days) <= $max_overdue_days)
)

select
    due.duo_id,
    due.branch,
    due.coordinator_id,
    due.task,
    due.due_on,
    $as_of - due.due_on as days_overdue,
    due.ended_on
from due
cross join stg_presence
anti join recorded
    on recorded.duo_id = due.duo_id
    and recorded.stage = due.stage
where stg_presence.has_outcomes
order by due.due_on, due.duo_id, due.task_order
