-- grain: one row per duo whose mentee and mentor are in the data set.
-- The facts about a duo that do not depend on the as-of date, worked out once
-- per snapshot (engine.build_facts) so that a query filters one pre-joined
-- table instead of joining the raw tables again. The as-of reading of each
-- fact is done in staging (stg_duos) from the dates kept here:
--   duo_key, mentee_key,    integer keys (row numbers of the raw tables in
--   mentor_key              this snapshot), quicker to join and count than
--                           the text ids
--   known_from              the duo is known on the as-of date A when
--                           known_from <= A: matched, and its mentee and
--                           mentor applied, by A
--   coordinator_started_on  the coordinator's start (empty: not on staff)
--   first_until             the duo is its mentee's first duo on A when known
--                           on A and first_until is empty or after A: the
--                           earliest known_from of the mentee's duos that come
--                           before it (matched_on, ties -> duo_id as text)
--   hours_first_to_end      hours met from the first meeting to the end, both
--                           included (for a duo that has ended, every such
--                           meeting is on or before the end, so before any A
--                           on which the end is known)
--   exit_status_final       the status of the duo's final exit outcome
--   exit_final_from         (fct_outcomes), recorded on exit_final_from;
--                           likewise for the 12-month follow-up
--   mentee_first_*          see fct_mentees
with duo_people as (
    select
        duos.*,
        duos.rowid as duo_key,
        mentees.rowid as mentee_key,
        mentors.rowid as mentor_key,
        greatest(duos.matched_on, mentees.applied_on, mentors.applied_on) as known_from,
        mentees.applied_on as mentee_applied_on,
        mentors.training_completed_on as mentor_training_completed_on,
        staff.started_on as coordinator_started_on
    from duos
    join mentees on mentees.mentee_id = duos.mentee_id
    join mentors on mentors.mentor_id = duos.mentor_id
    left join staff on staff.staff_id = duos.coordinator_id
),

hours as (
    select duo_people.duo_id, sum(meetings.hours) as hours_first_to_end
    from duo_people
    join meetings
        on meetings.duo_id = duo_people.duo_id
        and meetings.met_on between duo_people.first_meeting_on and duo_people.ended_on
    group by duo_people.duo_id
),

final_outcomes as (
    select
        duo_id,
        max(status) filter (where stage = 'exit') as exit_status_final,
        max(recorded_on) filter (where stage = 'exit') as exit_final_from,
        max(status) filter (where stage = 'followup_12m') as followup_12m_status_final,
        max(recorded_on) filter (where stage = 'followup_12m') as followup_12m_final_from
    from fct_outcomes
    where superseded_on is null
    group by duo_id
),

ordered as (
    select
        duo_people.*,
        coalesce(hours.hours_first_to_end, 0) as hours_first_to_end,
        final_outcomes.exit_status_final,
        final_outcomes.exit_final_from,
        final_outcomes.followup_12m_status_final,
        final_outcomes.followup_12m_final_from,
        min(duo_people.known_from) over (
            partition by duo_people.mentee_id order by duo_people.matched_on, duo_people.duo_id
            rows between unbounded preceding and 1 preceding
        ) as first_until,
        min(duo_people.matched_on) over (partition by duo_people.mentee_id) as mentee_first_matched_on,
        min(duo_people.known_from) over (partition by duo_people.mentee_id) as mentee_first_known_from
    from duo_people
    left join hours on hours.duo_id = duo_people.duo_id
    left join final_outcomes on final_outcomes.duo_id = duo_people.duo_id
)

select
    duo_key,
    mentee_key,
    mentor_key,
    duo_id,
    mentee_id,
    mentor_id,
    coordinator_id,
    coordinator_started_on,
    branch,
    matched_on,
    first_meeting_on,
    staff_at_first_meeting,
    ended_on,
    end_reason,
    known_from,
    matched_on - mentee_applied_on as days_to_match,
    mentor_training_completed_on,
    first_until,
    hours_first_to_end,
    exit_status_final,
    exit_final_from,
    followup_12m_status_final,
    followup_12m_final_from,
    mentee_first_matched_on,
    mentee_first_known_from,
    -- the day the mentee's earliest match becomes known
    min(case when matched_on = mentee_first_matched_on then known_from end)
        over (partition by mentee_id) as mentee_first_match_known_from
from ordered
