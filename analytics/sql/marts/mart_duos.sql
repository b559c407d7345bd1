-- grain: one row per duo known on $as_of, with the facts the indicators and
-- the at-risk rules read. Everything here is fixed by $as_of alone (not by a
-- period or a branch filter), so one mart serves a whole time series.
--   is_realized            first meeting held by $as_of
--   is_first_duo_of_mentee earliest matched_on among all the mentee's duos
--                          (all branches), ties -> smallest duo_id as text
--   days_to_match          matched_on - mentee.applied_on
--   is_mentor_trained      mentor trained by first_meeting_on + 30 days
--   weekly_hours           hours met in [first_meeting_on, ended_on] per week,
--                          for duos that ran at least 7 days
--   exit_status            status of the latest exit outcome
--                          (latest recorded_on, ties -> largest outcome_id)
--   followup_12m_status    likewise for the latest followup_12m outcome
with ranked_outcomes as (
    select
        duo_id,
        stage,
        status,
        row_number() over (
            partition by duo_id, stage order by recorded_on desc, outcome_id desc
        ) as recency_rank
    from stg_outcomes
    where stage in ('exit', 'followup_12m')
),

latest_outcomes as (
    select
        duo_id,
        max(status) filter (where stage = 'exit') as exit_status,
        max(status) filter (where stage = 'followup_12m') as followup_12m_status
    from ranked_outcomes
    where recency_rank = 1
    group by duo_id
),

hours_in_duo as (
    select stg_meetings.duo_id, sum(stg_meetings.hours) as hours_met
    from stg_meetings
    join stg_duos on stg_duos.duo_id = stg_meetings.duo_id
    where stg_meetings.met_on between stg_duos.first_meeting_on and stg_duos.ended_on
    group by stg_meetings.duo_id
),

duos_with_people as (
    select
        stg_duos.*,
        stg_mentees.applied_on as mentee_applied_on,
        stg_mentors.training_completed_on as mentor_training_completed_on,
        row_number() over (
            partition by stg_duos.mentee_id order by stg_duos.matched_on, stg_duos.duo_id
        ) = 1 as is_first_duo_of_mentee
    from stg_duos
    join stg_mentees on stg_mentees.mentee_id = stg_duos.mentee_id
    join stg_mentors on stg_mentors.mentor_id = stg_duos.mentor_id
)

select
    duos_with_people.duo_id,
    duos_with_people.mentee_id,
    duos_with_people.mentor_id,
    duos_with_people.coordinator_id,
    duos_with_people.branch,
    duos_with_people.matched_on,
    duos_with_people.first_meeting_on,
    duos_with_people.ended_on,
    duos_with_people.end_reason,
    duos_with_people.first_meeting_on is not null as is_realized,
    coalesce(duos_with_people.staff_at_first_meeting, false) as is_staff_at_first_meeting,
    duos_with_people.end_reason in ('completed', 'job_found') as is_completed,
    duos_with_people.ended_on - duos_with_people.first_meeting_on as days_running_at_end,
    duos_with_people.is_first_duo_of_mentee,
    duos_with_people.matched_on - duos_with_people.mentee_applied_on as days_to_match,
    duos_with_people.mentor_training_completed_on,
    coalesce(
        duos_with_people.mentor_training_completed_on <= duos_with_people.first_meeting_on + 30,
        false
    ) as is_mentor_trained,
    case
        when duos_with_people.ended_on - duos_with_people.first_meeting_on >= 7
            then coalesce(hours_in_duo.hours_met, 0)
                / ((duos_with_people.ended_on - duos_with_people.first_meeting_on) / 7.0)
    end as weekly_hours,
    latest_outcomes.exit_status,
    latest_outcomes.exit_status is not null as has_exit_outcome,
    coalesce(list_contains($positive_statuses, latest_outcomes.exit_status), false) as is_positive_exit,
    coalesce(list_contains($job_statuses, latest_outcomes.exit_status), false) as is_job_exit,
    duos_with_people.ended_on + 365 as followup_12m_mark_on,
    latest_outcomes.followup_12m_status,
    latest_outcomes.followup_12m_status is not null as has_followup_12m,
    coalesce(list_contains($job_statuses, latest_outcomes.followup_12m_status), false) as is_job_at_12m
from duos_with_people
left join hours_in_duo on hours_in_duo.duo_id = duos_with_people.duo_id
left join latest_outcomes on latest_outcomes.duo_id = duos_with_people.duo_id
