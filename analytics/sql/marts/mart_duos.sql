-- grain: one row per duo known on $as_of, with the facts that the indicators
-- and the at-risk rules read. Everything here is fixed by $as_of alone (not
-- by a period or a branch filter), so one mart serves a whole time series.
-- Facts from meetings and outcomes live in their own marts, so that a query
-- that does not need them does not pay for them.
--   is_realized            first meeting held by $as_of
--   is_first_duo_of_mentee earliest matched_on among all the mentee's duos
--                          (all branches), ties -> smallest duo_id as text
--   days_to_match          matched_on - mentee.applied_on
--   is_mentor_trained      mentor trained by first_meeting_on + 30 days
--   is_completed           ended as completed or job_found
with first_duos as (
    select mentee_id, arg_min(duo_id, (matched_on, duo_id)) as first_duo_id
    from stg_duos
    group by mentee_id
)

select
    stg_duos.duo_id,
    stg_duos.mentee_id,
    stg_duos.mentor_id,
    stg_duos.coordinator_id,
    stg_duos.branch,
    stg_duos.matched_on,
    stg_duos.first_meeting_on,
    stg_duos.ended_on,
    stg_duos.end_reason,
    stg_duos.first_meeting_on is not null as is_realized,
    coalesce(stg_duos.staff_at_first_meeting, false) as is_staff_at_first_meeting,
    stg_duos.end_reason in ('completed', 'job_found') as is_completed,
    stg_duos.ended_on - stg_duos.first_meeting_on as days_running_at_end,
    first_duos.first_duo_id is not null as is_first_duo_of_mentee,
    stg_duos.matched_on - stg_mentees.applied_on as days_to_match,
    stg_mentors.training_completed_on as mentor_training_completed_on,
    coalesce(stg_mentors.training_completed_on <= stg_duos.first_meeting_on + 30, false)
        as is_mentor_trained,
    stg_duos.ended_on + 365 as followup_12m_mark_on
from stg_duos
join stg_mentees on stg_mentees.mentee_id = stg_duos.mentee_id
join stg_mentors on stg_mentors.mentor_id = stg_duos.mentor_id
left join first_duos on first_duos.first_duo_id = stg_duos.duo_id
