-- grain: one row per duo open on $as_of in the branch filter ($branches; empty = all).
-- Evaluates the handbook's at-risk rules, each threshold a bound parameter,
-- and keeps the facts behind each rule so staff see why a duo is listed.
-- A rule that needs an absent table does not fire.
-- status: 'at_risk' when a rule fires; 'new' when none fires and the duo was
-- matched at most $not_started_days ago (too early to tell); else 'fine'.
-- open duos read from staging, not the duo mart: the rules need no fact about
-- closed duos, so the mart's work over the whole history is not done here
with open_duos as (
    select *
    from stg_duos
    where ended_on is null
        and (len($branches) = 0 or list_contains($branches, branch))
),

meeting_facts as (
    select
        stg_meetings.duo_id,
        max(stg_meetings.met_on) as last_met_on,
        coalesce(sum(stg_meetings.hours) filter (
            where stg_meetings.met_on > $as_of - $low_intensity_window_days
        ), 0) as hours_in_window
    from stg_meetings
    semi join open_duos on open_duos.duo_id = stg_meetings.duo_id
    group by stg_meetings.duo_id
),

-- the latest check-in of each open duo: latest checked_on, ties -> largest check_in_id
latest_check_ins as (
    select
        stg_check_ins.duo_id,
        arg_max(
            {
                'checked_on': checked_on,
                'mentee_satisfaction': mentee_satisfaction,
                'mentor_satisfaction': mentor_satisfaction,
                'concern': concern
            },
            (checked_on, check_in_id)
        ) as latest
    from stg_check_ins
    semi join open_duos on open_duos.duo_id = stg_check_ins.duo_id
    group by stg_check_ins.duo_id
),

check_in_facts as (
    select
        duo_id,
        latest.checked_on as last_checked_on,
        latest.mentee_satisfaction as latest_mentee_satisfaction,
        latest.mentor_satisfaction as latest_mentor_satisfaction,
        coalesce(latest.concern, false) as latest_concern
    from latest_check_ins
),

facts as (
    select
        open_duos.duo_id,
        open_duos.branch,
        open_duos.coordinator_id,
        open_duos.mentee_id,
        open_duos.mentor_id,
        open_duos.matched_on,
        open_duos.first_meeting_on,
        $as_of - open_duos.matched_on as days_since_match,
        $as_of - open_duos.first_meeting_on as days_since_first_meeting,
        greatest(open_duos.first_meeting_on, meeting_facts.last_met_on) as last_met_on,
        $as_of - greatest(open_duos.first_meeting_on, meeting_facts.last_met_on) as days_since_last_meeting,
        coalesce(meeting_facts.hours_in_window, 0) as hours_in_window,
        check_in_facts.last_checked_on,
        $as_of - check_in_facts.last_checked_on as days_since_last_check_in,
        check_in_facts.latest_mentee_satisfaction,
        check_in_facts.latest_mentor_satisfaction,
        check_in_facts.latest_concern,
        open_duos.mentor_training_completed_on,
        presence.has_meetings,
        presence.has_check_ins
    from open_duos
    cross join stg_presence as presence
    left join meeting_facts on meeting_facts.duo_id = open_duos.duo_id
    left join check_in_facts on check_in_facts.duo_id = open_duos.duo_id
),

rules as (
    select
        *,
        first_meeting_on is null and days_since_match > $not_started_days as not_started,
        has_meetings and first_meeting_on is not null
            and days_since_last_meeting > $no_meeting_days as no_recent_meeting,
        has_meetings and days_since_first_meeting >= $low_intensity_window_days
            and hours_in_window < $low_intensity_min_hours as low_intensity,
        has_check_ins and days_since_match > $check_in_window_days
            and (last_checked_on is null or days_since_last_check_in >= $check_in_window_days)
            as no_recent_check_in,
        has_check_ins and coalesce(
            latest_mentee_satisfaction <= $low_satisfaction_max
            or latest_mentor_satisfaction <= $low_satisfaction_max
            or latest_concern,
            false
        ) as low_satisfaction,
        days_since_first_meeting > $untrained_days
            and (mentor_training_completed_on is null) as mentor_untrained
    from facts
),

scored as (
    select
        *,
        -- in the handbook's order of the rules
        list_filter([
            case when not_started then 'not_started' end,
            case when no_recent_meeting then 'no_recent_meeting' end,
            case when low_intensity then 'low_intensity' end,
            case when no_recent_check_in then 'no_recent_check_in' end,
            case when low_satisfaction then 'low_satisfaction' end,
            case when mentor_untrained then 'mentor_untrained' end
        ], lambda rule: rule is not null) as fired_rules
    from rules
)

select
    duo_id,
    branch,
    coordinator_id,
    mentee_id,
    mentor_id,
    case
        when len(fired_rules) > 0 then 'at_risk'
        when days_since_match <= $not_started_days then 'new'
        else 'fine'
    end as status,
    len(fired_rules) as score,
    fired_rules as rules,
    matched_on,
    first_meeting_on,
    days_since_match,
    days_since_first_meeting,
    last_met_on,
    days_since_last_meeting,
    hours_in_window,
    last_checked_on,
    days_since_last_check_in,
    latest_mentee_satisfaction,
    latest_mentor_satisfaction,
    latest_concern,
    mentor_training_completed_on
from scored
order by score desc, duo_id
