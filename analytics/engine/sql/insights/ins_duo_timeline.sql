-- grain: one row per event of the duo $duo_id, as the data stood on $as_of
-- (staged rows only: a meeting, check-in or outcome after $as_of, or a first
-- meeting or end after it, is not shown). Events: matched, first_meeting,
-- meeting (hours, mode), check_in (satisfaction, concern; the note only when
-- $include_notes), outcome (stage, status, contract), ended (end_reason).
-- Ordered by date, then matched < first_meeting < meeting < check_in <
-- outcome < ended on the same day, then the row's id as text.
-- Staff only: it carries ids and, on request, free-text notes.
with events as (
    select matched_on as event_on, 'matched' as event, 1 as event_order, duo_id as event_id,
           null::decimal(18,2) as hours, null::varchar as mode,
           null::integer as mentee_satisfaction, null::integer as mentor_satisfaction,
           null::boolean as concern, null::varchar as staff_id, null::varchar as note,
           null::varchar as stage, null::varchar as status, null::varchar as contract,
           null::varchar as end_reason
    from stg_duos
    where duo_id = $duo_id
    union all
    select first_meeting_on, 'first_meeting', 2, duo_id, null, null, null, null,
           null, null, null, null, null, null, null
    from stg_duos
    where duo_id = $duo_id and first_meeting_on is not null
    union all
    select met_on, 'meeting', 3, meeting_id, hours, mode, null, null, null, null, null, null, null, null, null
    from stg_meetings
    where duo_id = $duo_id
    union all
    select stg_check_ins.checked_on, 'check_in', 4, stg_check_ins.check_in_id, null, null,
           stg_check_ins.mentee_satisfaction, stg_check_ins.mentor_satisfaction, stg_check_ins.concern,
           stg_check_ins.staff_id,
           case when $include_notes then check_ins.note end,
           null, null, null, null
    from stg_check_ins
    join check_ins on check_ins.check_in_id = stg_check_ins.check_in_id
    where stg_check_ins.duo_id = $duo_id
    union all
    select recorded_on, 'outcome', 5, outcome_id, null, null, null, null, null, null, null,
           stage, status, contract, null
    from stg_outcomes
    where duo_id = $duo_id
    union all
    select ended_on, 'ended', 6, duo_id, null, null, null, null, null, null, null, null, null, null,
           end_reason
    from stg_duos
    where duo_id = $duo_id and ended_on is not null
)

select
    event_on, event, event_id, hours, mode, mentee_satisfaction, mentor_satisfaction, concern,
    staff_id, note, stage, status, contract, end_reason
from events
order by event_on, event_order, event_id
