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
        mart_duos.*,
        mart_duos.first_meeting_on <= buckets.d
            and (mart_duos.ended_on is null or mart_duos.ended_on > buckets.d) as is_active_on_d,
        mart_duos.is_realized
            and mart_duos.ended_on between buckets.period_from and buckets.period_to as is_ended_in_period,
        mart_duos.is_realized
            and mart_duos.first_meeting_on between buckets.period_from and buckets.period_to as is_realized_in_period,
        mart_duo_outcomes.exit_status is not null as has_exit_outcome,
        coalesce(list_contains($positive_statuses, mart_duo_outcomes.exit_status), false) as is_positive_exit,
        coalesce(list_contains($job_statuses, mart_duo_outcomes.exit_status), false) as is_job_exit,
        mart_duo_outcomes.followup_12m_status is not null as has_followup_12m,
        coalesce(list_contains($job_statuses, mart_duo_outcomes.followup_12m_status), false) as is_job_at_12m
    from buckets
    join mart_duos
        on mart_duos.branch = buckets.branch
        -- Only duos that can count in the bucket: every figure below (but the
        -- cumulative count, computed apart) needs a duo matched by the period's
        -- end that had not ended a year or more before its start (the prior-year
        -- window and the 12-month marks reach back one year; 366 days covers a
        -- leap year). This keeps a long programme's history out of each bucket.
        and mart_duos.matched_on <= buckets.period_to
        and (mart_duos.ended_on is null or mart_duos.ended_on >= buckets.period_from - 366)
    left join mart_duo_outcomes on mart_duo_outcomes.duo_id = mart_duos.duo_id
),

realized_to_date as (
    select buckets.bucket_id, count(*) as duos_realized_cumulative
    from buckets
    join mart_duos on mart_duos.branch = buckets.branch
    where mart_duos.first_meeting_on <= buckets.d
    group by buckets.bucket_id
),

-- hours met per week, for the duos that ended in a period after running 7 days or more:
-- the meetings from the first meeting to the end, both included (fct_duos)
weekly_hours_figures as (
    select bucket_id, median(hours_first_to_end / (days_running_at_end / 7.0)) as median_weekly_hours
    from bucket_duos
    where is_ended_in_period and days_running_at_end >= 7
    group by bucket_id
),

duo_figures as (
    select
        bucket_id,
        count(*) filter (where matched_on between period_from and period_to) as duos_matched,
        count(*) filter (where is_realized_in_period) as duos_realized,
        count(*) filter (where is_active_on_d) as active_duos,
        count(distinct mentor_id) filter (where is_active_on_d) as active_mentors,
        -- the same window a year earlier; 29 February shifts to 28 February
        count(*) filter (
            where first_meeting_on
                between (period_from - interval 1 year)::date and (d - interval 1 year)::date
        ) as duos_realized_prior_year,
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
        avg(has_followup_12m::integer) filter (
            where is_realized and followup_12m_mark_on between period_from and period_to
                and followup_12m_mark_on <= $as_of
        ) as followup_12m_coverage,
        avg(is_job_at_12m::integer) filter (
            where is_realized and followup_12m_mark_on between period_from and period_to
                and followup_12m_mark_on <= $as_of and has_followup_12m
        ) as job_rate_12m,
        count(distinct mentee_id) filter (
            where is_realized and first_meeting_on <= period_to
                and (ended_on is null or ended_on >= period_from)
        ) as beneficiaries_served
    from bucket_duos
    group by bucket_id
),

active_on_d as (
    select bucket_id, duo_id, d from bucket_duos where is_active_on_d
),

-- (bucket, duo) pairs with a check-in in (d - 45, d]
recently_checked as (
    select distinct active_on_d.bucket_id, active_on_d.duo_id
    from active_on_d
    join stg_check_ins
        on stg_check_ins.duo_id = active_on_d.duo_id
        and stg_check_ins.checked_on > active_on_d.d - 45
        and stg_check_ins.checked_on <= active_on_d.d
),

check_in_coverage as (
    select
        active_on_d.bucket_id,
        avg((recently_checked.duo_id is not null)::integer) as check_in_coverage
    from active_on_d
    left join recently_checked
        on recently_checked.bucket_id = active_on_d.bucket_id
        and recently_checked.duo_id = active_on_d.duo_id
    group by active_on_d.bucket_id
),

satisfaction as (
    select
        buckets.bucket_id,
        avg(stg_check_ins.mentee_satisfaction) as mean_mentee_satisfaction,
        avg(stg_check_ins.mentor_satisfaction) as mean_mentor_satisfaction
    from buckets
    join stg_check_ins on stg_check_ins.duo_branch = buckets.branch
    where stg_check_ins.checked_on between buckets.period_from and buckets.period_to
    group by buckets.bucket_id
),

mentee_figures as (
    select
        buckets.bucket_id,
        count(*) filter (
            where mart_mentees.applied_on between buckets.period_from and buckets.period_to
        ) as mentee_applications,
        avg(mart_mentees.is_eligibility_exception::integer) filter (
            where mart_mentees.applied_on between buckets.period_from and buckets.period_to
        ) as eligibility_exception_rate,
        count(*) filter (
            where mart_mentees.decision = 'eligible'
                and mart_mentees.applied_on <= buckets.d
                and (mart_mentees.first_matched_on is null or mart_mentees.first_matched_on > buckets.d)
                and (mart_mentees.withdrawn_on is null or mart_mentees.withdrawn_on > buckets.d)
        ) as mentees_waiting
    from buckets
    join mart_mentees on mart_mentees.branch = buckets.branch
    group by buckets.bucket_id
),

mentor_figures as (
    select buckets.bucket_id, count(*) as mentor_applications
    from buckets
    join stg_mentors on stg_mentors.branch = buckets.branch
    where stg_mentors.applied_on between buckets.period_from and buckets.period_to
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
    coalesce(mentee_figures.mentee_applications, 0) as mentee_applications,
    coalesce(mentor_figures.mentor_applications, 0) as mentor_applications,
    coalesce(duo_figures.duos_matched, 0) as duos_matched,
    coalesce(duo_figures.duos_realized, 0) as duos_realized,
    coalesce(realized_to_date.duos_realized_cumulative, 0) as duos_realized_cumulative,
    coalesce(duo_figures.active_duos, 0) as active_duos,
    coalesce(mentee_figures.mentees_waiting, 0) as mentees_waiting,
    coalesce(duo_figures.active_mentors, 0) as active_mentors,
    coalesce(duo_figures.duos_realized, 0) / nullif(duo_figures.duos_realized_prior_year, 0) - 1
        as growth_rate_duos_realized,
    duo_figures.median_days_to_match,
    duo_figures.matched_within_30d_rate,
    duo_figures.staff_at_first_meeting_rate,
    duo_figures.mentor_trained_rate,
    case when presence.has_check_ins then check_in_coverage.check_in_coverage end as check_in_coverage,
    case when presence.has_staff
        then coalesce(duo_figures.active_duos, 0) / nullif(coordinator_fte.coordinator_fte, 0)
    end as caseload_per_coordinator_fte,
    case when presence.has_meetings then weekly_hours_figures.median_weekly_hours end as median_weekly_hours,
    duo_figures.completion_rate,
    duo_figures.early_closure_rate,
    case when presence.has_check_ins then satisfaction.mean_mentee_satisfaction end
        as mean_mentee_satisfaction,
    case when presence.has_check_ins then satisfaction.mean_mentor_satisfaction end
        as mean_mentor_satisfaction,
    mentee_figures.eligibility_exception_rate,
    case when presence.has_outcomes then duo_figures.exit_outcome_coverage end as exit_outcome_coverage,
    case when presence.has_outcomes then duo_figures.positive_exit_rate end as positive_exit_rate,
    case when presence.has_outcomes then duo_figures.job_exit_rate end as job_exit_rate,
    case when presence.has_outcomes then duo_figures.followup_12m_coverage end as followup_12m_coverage,
    case when presence.has_outcomes then duo_figures.job_rate_12m end as job_rate_12m,
    case when presence.has_costs then coalesce(cost_figures.total_costs_eur, 0) end as total_costs_eur,
    coalesce(duo_figures.beneficiaries_served, 0) as beneficiaries_served,
    case when presence.has_costs
        then coalesce(cost_figures.total_costs_eur, 0) / nullif(duo_figures.beneficiaries_served, 0)
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
left join realized_to_date on realized_to_date.bucket_id = bucket_list.bucket_id
left join weekly_hours_figures on weekly_hours_figures.bucket_id = bucket_list.bucket_id
left join check_in_coverage on check_in_coverage.bucket_id = bucket_list.bucket_id
left join satisfaction on satisfaction.bucket_id = bucket_list.bucket_id
left join mentee_figures on mentee_figures.bucket_id = bucket_list.bucket_id
left join mentor_figures on mentor_figures.bucket_id = bucket_list.bucket_id
left join coordinator_fte on coordinator_fte.bucket_id = bucket_list.bucket_id
left join cost_figures on cost_figures.bucket_id = bucket_list.bucket_id
left join funding_figures on funding_figures.bucket_id = bucket_list.bucket_id
order by bucket_list.bucket_id
