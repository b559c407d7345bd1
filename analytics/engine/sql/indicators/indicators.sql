-- grain: one row per bucket (a period with a branch filter, see buckets.sql),
-- one column per key of the indicator handbook.
-- Definitions: docs/indicators.md (generated from analytics/registry.py).
-- Conventions: a rate or ratio over an empty denominator is null (avg and
-- nullif give that); a count or sum of nothing is 0 (coalesce after the
-- left join); a key that reads an absent optional table is null (presence).
with bucket_list as (
    select distinct bucket_id, period_from, period_to, d from buckets
),

-- duos of the filter, once per bucket they belong to
bucket_duos as (
    select
        buckets.bucket_id,
        buckets.period_from,
        buckets.period_to,
        buckets.d,
        -- only the columns the figures read: this is the largest relation of
        -- a time series (every duo once per bucket it can count in)
        mart_duos.duo_key,
        mart_duos.mentee_key,
        mart_duos.mentor_key,
        mart_duos.matched_on,
        mart_duos.first_meeting_on,
        mart_duos.ended_on,
        mart_duos.is_realized,
        mart_duos.is_first_duo_of_mentee,
        mart_duos.days_to_match,
        mart_duos.is_staff_at_first_meeting,
        mart_duos.is_mentor_trained,
        mart_duos.is_completed,
        mart_duos.days_running_at_end,
        mart_duos.hours_first_to_end,
        mart_duos.first_meeting_on <= buckets.d
            and (mart_duos.ended_on is null or mart_duos.ended_on > buckets.d) as is_active_on_d,
        mart_duos.is_realized
            and mart_duos.ended_on between buckets.period_from and buckets.period_to as is_ended_in_period,
        mart_duos.is_realized
            and mart_duos.first_meeting_on between buckets.period_from and buckets.period_to as is_realized_in_period,
        mart_duos.exit_status is not null as has_exit_outcome,
        coalesce(list_contains($positive_statuses, mart_duos.exit_status), false) as is_positive_exit,
        coalesce(list_contains($job_statuses, mart_duos.exit_status), false) as is_job_exit
    from buckets
    join mart_duos
        on mart_duos.branch = buckets.branch
        -- Only duos that can count in the bucket: every figure read from here
        -- needs a duo matched by the period's end that had not ended before its
        -- start. The figures that reach further back (the cumulative count, the
        -- prior-year window, the 12-month marks) are computed apart, so a long
        -- programme's history stays out of each bucket.
        and mart_duos.matched_on <= buckets.period_to
        and (mart_duos.ended_on is null or mart_duos.ended_on >= buckets.period_from)
),

-- the cumulative count from counts per branch and day, not from every duo
-- once per bucket
realized_by_day as (
    select branch, first_meeting_on, count(*) as duos
    from mart_duos
    where is_realized
    group by branch, first_meeting_on
),

-- the same window a year earlier; 29 February shifts to 28 February
realized_prior_year as (
    select buckets.bucket_id, sum(realized_by_day.duos)::bigint as duos_realized_prior_year
    from buckets
    join realized_by_day
        on realized_by_day.branch = buckets.branch
        and realized_by_day.first_meeting_on
            between (buckets.period_from - interval 1 year)::date and (buckets.d - interval 1 year)::date
    group by buckets.bucket_id
),

-- duos whose 12-month mark (end + 365 days) falls in a period and is past on $as_of
followup_marks as (
    select
        buckets.bucket_id,
        mart_duos.followup_12m_status is not null as has_followup_12m,
        coalesce(list_contains($job_statuses, mart_duos.followup_12m_status), false) as is_job_at_12m
    from buckets
    join mart_duos
        on mart_duos.branch = buckets.branch
        and mart_duos.followup_12m_mark_on between buckets.period_from and buckets.period_to
    where mart_duos.is_realized and mart_duos.followup_12m_mark_on <= $as_of
),

followup_figures as (
    select
        bucket_id,
        avg(has_followup_12m::integer) as followup_12m_coverage,
        avg(is_job_at_12m::integer) filter (where has_followup_12m) as job_rate_12m
    from followup_marks
    group by bucket_id
),

realized_to_date as (
    select buckets.bucket_id, sum(realized_by_day.duos)::bigint as duos_realized_cumulative
    from buckets
    join realized_by_day
        on realized_by_day.branch = buckets.branch
        and realized_by_day.first_meeting_on <= buckets.d
    group by buckets.bucket_id
),

duo_figures as (
    select
        bucket_id,
        count(*) filter (where matched_on between period_from and period_to) as duos_matched,
        count(*) filter (where is_realized_in_period) as duos_realized,
        count(*) filter (where is_active_on_d) as active_duos,
        median(days_to_match) filter (
            where is_first_duo_of_mentee and matched_on between period_from and period_to
        ) as median_days_to_match,
        avg((days_to_match <= 30)::integer) filter (
            where is_first_duo_of_mentee and matched_on between period_from and period_to
        ) as matched_within_30d_rate,
        avg(is_staff_at_first_meeting::integer) filter (where is_realized_in_period)
            as staff_at_first_meeting_rate,
        avg(is_mentor_trained::integer) filter (where is_realized_in_period) as mentor_trained_rate,
        avg(is_completed::integer) filter (where is_ended_in_period) as completion_rate,
        avg((days_running_at_end < 90 and not is_completed)::integer) filter (where is_ended_in_period)
            as early_closure_rate,
        avg(has_exit_outcome::integer) filter (where is_ended_in_period) as exit_outcome_coverage,
        avg(is_positive_exit::integer) filter (where is_ended_in_period) as positive_exit_rate,
        avg(is_job_exit::integer) filter (where is_ended_in_period) as job_exit_rate,
        count(*) filter (where is_ended_in_period and is_positive_exit) as positive_exits,
        -- hours met per week, for the duos that ended in the period after running
        -- 7 days or more: the meetings from the first meeting to the end, both
        -- included (fct_duos.hours_first_to_end)
        median(hours_first_to_end / (days_running_at_end / 7.0)) filter (
            where is_ended_in_period and days_running_at_end >= 7
        ) as median_weekly_hours
    from bucket_duos
    group by bucket_id
),

-- the distinct counts apart, each over only the rows it counts (DuckDB
-- groups a filtered distinct count over every row of the relation)
active_mentors as (
    select bucket_id, count(distinct mentor_key) as active_mentors
    from bucket_duos
    where is_active_on_d
    group by bucket_id
),

beneficiaries as (
    select bucket_id, count(distinct mentee_key) as beneficiaries_served
    from bucket_duos
    where is_realized and first_meeting_on <= period_to and (ended_on is null or ended_on >= period_from)
    group by bucket_id
),

active_on_d as (
    select bucket_id, duo_key, d from bucket_duos where is_active_on_d
),

-- (bucket, duo) pairs with a check-in in (d - 45, d]
recently_checked as (
    select distinct active_on_d.bucket_id, active_on_d.duo_key
    from active_on_d
    join stg_check_ins
        on stg_check_ins.duo_key = active_on_d.duo_key
        and stg_check_ins.checked_on > active_on_d.d - 45
        and stg_check_ins.checked_on <= active_on_d.d
),

check_in_coverage as (
    select
        active_on_d.bucket_id,
        avg((recently_checked.duo_key is not null)::integer) as check_in_coverage
    from active_on_d
    left join recently_checked
        on recently_checked.bucket_id = active_on_d.bucket_id
        and recently_checked.duo_key = active_on_d.duo_key
    group by active_on_d.bucket_id
),

-- check-ins counted per branch and day first, so that a time series does
-- not visit every check-in once per bucket
check_ins_by_day as (
    select
        duo_branch as branch,
        checked_on,
        sum(mentee_satisfaction) as mentee_satisfaction_sum,
        count(mentee_satisfaction) as mentee_satisfaction_count,
        sum(mentor_satisfaction) as mentor_satisfaction_sum,
        count(mentor_satisfaction) as mentor_satisfaction_count
    from stg_check_ins
    group by duo_branch, checked_on
),

satisfaction as (
    select
        buckets.bucket_id,
        sum(check_ins_by_day.mentee_satisfaction_sum)
            / nullif(sum(check_ins_by_day.mentee_satisfaction_count), 0) as mean_mentee_satisfaction,
        sum(check_ins_by_day.mentor_satisfaction_sum)
            / nullif(sum(check_ins_by_day.mentor_satisfaction_count), 0) as mean_mentor_satisfaction
    from buckets
    join check_ins_by_day
        on check_ins_by_day.branch = buckets.branch
        and check_ins_by_day.checked_on between buckets.period_from and buckets.period_to
    group by buckets.bucket_id
),

-- applications counted per branch and day first (as check-ins above)
applications_by_day as (
    select
        branch,
        applied_on,
        count(*) as applications,
        count(*) filter (where is_eligibility_exception) as eligibility_exceptions,
        -- a rule that cannot be checked (an empty cell) leaves the mentee out of the rate
        count(is_eligibility_exception) as eligibility_checked
    from mart_mentees
    group by branch, applied_on
),

application_figures as (
    select
        buckets.bucket_id,
        sum(applications_by_day.applications)::bigint as mentee_applications,
        sum(applications_by_day.eligibility_exceptions)
            / nullif(sum(applications_by_day.eligibility_checked), 0) as eligibility_exception_rate
    from buckets
    join applications_by_day
        on applications_by_day.branch = buckets.branch
        and applications_by_day.applied_on between buckets.period_from and buckets.period_to
    group by buckets.bucket_id
),

-- a mentee waits on d from the application until the first match or the
-- withdrawal; only the mentees waiting on some bucket's d are joined
waiting_mentees as (
    select branch, applied_on, first_matched_on, withdrawn_on
    from mart_mentees
    where decision = 'eligible'
        and applied_on <= (select max(d) from bucket_list)
        and (first_matched_on is null or first_matched_on > (select min(d) from bucket_list))
        and (withdrawn_on is null or withdrawn_on > (select min(d) from bucket_list))
),

waiting_figures as (
    select buckets.bucket_id, count(*) as mentees_waiting
    from buckets
    join waiting_mentees
        on waiting_mentees.branch = buckets.branch
        and waiting_mentees.applied_on <= buckets.d
    where (waiting_mentees.first_matched_on is null or waiting_mentees.first_matched_on > buckets.d)
        and (waiting_mentees.withdrawn_on is null or waiting_mentees.withdrawn_on > buckets.d)
    group by buckets.bucket_id
),

mentor_figures as (
    select buckets.bucket_id, count(*) as mentor_applications
    from buckets
    join stg_mentors
        on stg_mentors.branch = buckets.branch
        and stg_mentors.applied_on between buckets.period_from and buckets.period_to
    group by buckets.bucket_id
),

coordinator_fte as (
    select buckets.bucket_id, sum(stg_staff.fte) as coordinator_fte
    from buckets
    join stg_staff on stg_staff.branch = buckets.branch
    where stg_staff.role = 'coordinator'
        and stg_staff.started_on <= buckets.d
        and (stg_staff.left_on is null or stg_staff.left_on > buckets.d)
    group by buckets.bucket_id
),

cost_figures as (
    select buckets.bucket_id, sum(stg_costs.amount_eur) as total_costs_eur
    from buckets
    join stg_costs on stg_costs.branch = buckets.branch
    where stg_costs.month between buckets.period_from and buckets.period_to
    group by buckets.bucket_id
),

funder_totals as (
    select buckets.bucket_id, stg_funding.funder, sum(stg_funding.amount_eur) as amount_eur
    from buckets
    join stg_funding on stg_funding.filter_branch = buckets.branch
    where stg_funding.received_on between buckets.period_from and buckets.period_to
    group by buckets.bucket_id, stg_funding.funder
),

funding_figures as (
    select
        bucket_id,
        sum(amount_eur) as total_funding_eur,
        sum(amount_eur * amount_eur) / nullif(sum(amount_eur) * sum(amount_eur), 0) as funding_hhi,
        max(amount_eur) / nullif(sum(amount_eur), 0) as largest_funder_share
    from funder_totals
    group by bucket_id
)

select
    bucket_list.bucket_id,
    bucket_list.period_from,
    bucket_list.period_to,
    coalesce(application_figures.mentee_applications, 0) as mentee_applications,
    coalesce(mentor_figures.mentor_applications, 0) as mentor_applications,
    coalesce(duo_figures.duos_matched, 0) as duos_matched,
    coalesce(duo_figures.duos_realized, 0) as duos_realized,
    coalesce(realized_to_date.duos_realized_cumulative, 0) as duos_realized_cumulative,
    coalesce(duo_figures.active_duos, 0) as active_duos,
    coalesce(waiting_figures.mentees_waiting, 0) as mentees_waiting,
    coalesce(active_mentors.active_mentors, 0) as active_mentors,
    coalesce(duo_figures.duos_realized, 0) / nullif(realized_prior_year.duos_realized_prior_year, 0) - 1
        as growth_rate_duos_realized,
    duo_figures.median_days_to_match,
    duo_figures.matched_within_30d_rate,
    duo_figures.staff_at_first_meeting_rate,
    duo_figures.mentor_trained_rate,
    case when presence.has_check_ins then check_in_coverage.check_in_coverage end as check_in_coverage,
    case when presence.has_staff
        then coalesce(duo_figures.active_duos, 0) / nullif(coordinator_fte.coordinator_fte, 0)
    end as caseload_per_coordinator_fte,
    case when presence.has_meetings then duo_figures.median_weekly_hours end as median_weekly_hours,
    duo_figures.completion_rate,
    duo_figures.early_closure_rate,
    case when presence.has_check_ins then satisfaction.mean_mentee_satisfaction end
        as mean_mentee_satisfaction,
    case when presence.has_check_ins then satisfaction.mean_mentor_satisfaction end
        as mean_mentor_satisfaction,
    application_figures.eligibility_exception_rate,
    case when presence.has_outcomes then duo_figures.exit_outcome_coverage end as exit_outcome_coverage,
    case when presence.has_outcomes then duo_figures.positive_exit_rate end as positive_exit_rate,
    case when presence.has_outcomes then duo_figures.job_exit_rate end as job_exit_rate,
    case when presence.has_outcomes then followup_figures.followup_12m_coverage end as followup_12m_coverage,
    case when presence.has_outcomes then followup_figures.job_rate_12m end as job_rate_12m,
    case when presence.has_costs then coalesce(cost_figures.total_costs_eur, 0) end as total_costs_eur,
    coalesce(beneficiaries.beneficiaries_served, 0) as beneficiaries_served,
    case when presence.has_costs
        then coalesce(cost_figures.total_costs_eur, 0) / nullif(beneficiaries.beneficiaries_served, 0)
    end as cost_per_beneficiary_eur,
    case when presence.has_costs
        then coalesce(cost_figures.total_costs_eur, 0) / nullif(duo_figures.duos_realized, 0)
    end as cost_per_duo_eur,
    case when presence.has_costs and presence.has_outcomes
        then coalesce(cost_figures.total_costs_eur, 0) / nullif(duo_figures.positive_exits, 0)
    end as cost_per_positive_exit_eur,
    case when presence.has_funding then coalesce(funding_figures.total_funding_eur, 0) end
        as total_funding_eur,
    case when presence.has_funding then funding_figures.funding_hhi end as funding_hhi,
    case when presence.has_funding then funding_figures.largest_funder_share end as largest_funder_share
from bucket_list
cross join stg_presence as presence
left join duo_figures on duo_figures.bucket_id = bucket_list.bucket_id
left join active_mentors on active_mentors.bucket_id = bucket_list.bucket_id
left join beneficiaries on beneficiaries.bucket_id = bucket_list.bucket_id
left join realized_to_date on realized_to_date.bucket_id = bucket_list.bucket_id
left join realized_prior_year on realized_prior_year.bucket_id = bucket_list.bucket_id
left join followup_figures on followup_figures.bucket_id = bucket_list.bucket_id
left join check_in_coverage on check_in_coverage.bucket_id = bucket_list.bucket_id
left join satisfaction on satisfaction.bucket_id = bucket_list.bucket_id
left join application_figures on application_figures.bucket_id = bucket_list.bucket_id
left join waiting_figures on waiting_figures.bucket_id = bucket_list.bucket_id
left join mentor_figures on mentor_figures.bucket_id = bucket_list.bucket_id
left join coordinator_fte on coordinator_fte.bucket_id = bucket_list.bucket_id
left join cost_figures on cost_figures.bucket_id = bucket_list.bucket_id
left join funding_figures on funding_figures.bucket_id = bucket_list.bucket_id
order by bucket_list.bucket_id
