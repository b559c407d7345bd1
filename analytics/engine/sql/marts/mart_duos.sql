-- grain: one row per duo known on $as_of, with the facts that the indicators
-- and the at-risk rules read. Everything here is fixed by $as_of alone (not
-- by a period or a branch filter), so one mart serves a whole time series.
--   is_realized            first meeting held by $as_of
--   is_first_duo_of_mentee earliest matched_on among all the mentee's duos
--                          (all branches), ties -> smallest duo_id as text
--   days_to_match          matched_on - mentee.applied_on
--   is_mentor_trained      mentor trained by first_meeting_on + 30 days
--   is_completed           ended as completed or job_found
--   is_staff_at_first_meeting_recorded  the answer is not empty
--   exit_status            status of the latest exit outcome recorded by $as_of
--                          (latest recorded_on, ties -> largest outcome_id as
--                          text); likewise followup_12m_status
-- The latest outcome is the duo's final one once that is recorded; before,
-- the one outcome recorded by $as_of and superseded after it (fct_outcomes).
with superseded_outcomes as (
    select
        duo_id,
        max(status) filter (where stage = 'exit') as exit_status,
        max(status) filter (where stage = 'followup_12m') as followup_12m_status
    from fct_outcomes
    where recorded_on <= $as_of and superseded_on > $as_of
    group by duo_id
)

select
    stg_duos.duo_key,
    stg_duos.mentee_key,
    stg_duos.mentor_key,
    stg_duos.duo_id,
    stg_duos.mentee_id,
    stg_duos.mentor_id,
    stg_duos.coordinator_id,
    stg_duos.branch,
    stg_duos.matched_on,
    stg_duos.first_meeting_on,
    stg_duos.ended_on,
    stg_duos.end_reason,
    first_meeting_on is not null as is_realized,
    coalesce(staff_at_first_meeting, false) as is_staff_at_first_meeting,
    staff_at_first_meeting is not null as is_staff_at_first_meeting_recorded,
    end_reason in ('completed', 'job_found') as is_completed,
    ended_on - first_meeting_on as days_running_at_end,
    stg_duos.hours_first_to_end,
    stg_duos.is_first_duo_of_mentee,
    stg_duos.days_to_match,
    stg_duos.mentor_training_completed_on,
    coalesce(mentor_training_completed_on <= first_meeting_on + 30, false) as is_mentor_trained,
    ended_on + 365 as followup_12m_mark_on,
    coalesce(stg_duos.final_exit_status, superseded_outcomes.exit_status) as exit_status,
    coalesce(stg_duos.final_followup_12m_status, superseded_outcomes.followup_12m_status)
        as followup_12m_status
from stg_duos
left join superseded_outcomes on superseded_outcomes.duo_id = stg_duos.duo_id
