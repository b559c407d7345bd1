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
select
    duo_id,
    mentee_id,
    mentor_id,
    coordinator_id,
    branch,
    matched_on,
    first_meeting_on,
    ended_on,
    end_reason,
    first_meeting_on is not null as is_realized,
    coalesce(staff_at_first_meeting, false) as is_staff_at_first_meeting,
    end_reason in ('completed', 'job_found') as is_completed,
    ended_on - first_meeting_on as days_running_at_end,
    hours_first_to_end,
    is_first_duo_of_mentee,
    days_to_match,
    mentor_training_completed_on,
    coalesce(mentor_training_completed_on <= first_meeting_on + 30, false) as is_mentor_trained,
    ended_on + 365 as followup_12m_mark_on
from stg_duos
