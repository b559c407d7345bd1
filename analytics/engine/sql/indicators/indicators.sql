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
        mart_duos.is_staff_at_first_meeting_recorded,
        mart_duos.mentor_training_completed_on,
        mart_duos.coordinator_id,
        mart_duos.matched_on <= buckets.d
            and (mart_duos.ended_on is null or mart_duos.ended_on > buckets.d) as is_open_on_d,
        mart_duos.first_meeting_on <= buckets.d
            and (mart_duos.ended_on is null or mart_duos.ended_on > buckets.d) as is_active_on_d,
        mart_duos.is_realized
            and mart_duos.ended_on between buckets.period_from and buckets.period_to as is_ended_in_period,
        mart_duos.is_realized
            and mart_duos.first_meeting_on between buckets.period_from and buckets.period_to as is_realized_in_period,
        mart_duos.exit_status is not null as has_exit_outcome,
        -- positive under the outcome definition in force (mart_duo_stages; the
        -- handbook's positive statuses under the default `positive`)
        mart_duo_stages.is_outcome_positive_exit as is_positive_exit,
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
    join mart_duo_stages on mart_duo_stages.duo_key = mart_duos.duo_key
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
        avg((not has_exit_outcome or is_positive_exit)::integer) filter (where is_ended_in_period)
            as positive_exit_rate_high,
        avg(coalesce(mentor_training_completed_on <= matched_on, false)::integer)
            filter (where matched_on between period_from and period_to) as trained_before_match_rate,
        avg((days_running_at_end < 182 and not is_completed)::integer) filter (where is_ended_in_period)
            as closed_before_term_rate,
        avg(is_staff_at_first_meeting_recorded::integer) filter (where is_realized_in_period)
            as staff_at_first_meeting_recorded_rate,
        avg((coordinator_id is not null)::integer) filter (where is_open_on_d) as coordinator_recorded_rate,
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
    select
        buckets.bucket_id,
        count(*) as mentees_waiting,
        count(*) filter (where buckets.d - waiting_mentees.applied_on > 30) as mentees_waiting_over_30d
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
),

-- v2: realized duos with a follow-up mark (end + 91, 182 or 365 days) in a
-- bucket's period; is_due_* when the mark is also past on $as_of, and
-- is_overdue_window_12m when the 12-month mark is in [F, min(T, A - 30)]
followup_duos as (
    select
        buckets.bucket_id,
        mart_duo_stages.mentee_id,
        mart_duo_stages.ended_on,
        mart_duo_stages.followup_3m_mark_on between buckets.period_from and buckets.period_to
            and mart_duo_stages.followup_3m_mark_on <= $as_of as is_due_3m,
        mart_duo_stages.followup_6m_mark_on between buckets.period_from and buckets.period_to
            and mart_duo_stages.followup_6m_mark_on <= $as_of as is_due_6m,
        mart_duo_stages.followup_12m_mark_on between buckets.period_from and buckets.period_to
            and mart_duo_stages.followup_12m_mark_on <= $as_of as is_due_12m,
        mart_duo_stages.followup_12m_mark_on
            between buckets.period_from and least(buckets.period_to, $as_of::date - 30) as is_overdue_window_12m,
        mart_duo_stages.followup_3m_status is not null as has_followup_3m,
        mart_duo_stages.followup_6m_status is not null as has_followup_6m,
        mart_duo_stages.followup_12m_status is not null as has_followup_12m,
        mart_duo_stages.is_outcome_positive_12m,
        mart_duo_stages.is_job_at_12m
    from buckets
    join mart_duo_stages
        on mart_duo_stages.branch = buckets.branch
        and mart_duo_stages.ended_on between buckets.period_from - 365 and buckets.period_to - 91
    where mart_duo_stages.is_realized
),

followup_v2_figures as (
    select
        bucket_id,
        avg(has_followup_3m::integer) filter (where is_due_3m) as followup_3m_coverage,
        avg(has_followup_6m::integer) filter (where is_due_6m) as followup_6m_coverage,
        count(*) filter (where is_overdue_window_12m and not has_followup_12m) as followup_12m_overdue,
        avg(is_outcome_positive_12m::integer) filter (where is_due_12m and has_followup_12m)
            as positive_rate_12m,
        -- non-respondents counted as not in a job (low) or as in a job (high)
        avg((has_followup_12m and is_job_at_12m)::integer) filter (where is_due_12m) as job_rate_12m_low,
        avg((not has_followup_12m or is_job_at_12m)::integer) filter (where is_due_12m) as job_rate_12m_high
    from followup_duos
    group by bucket_id
),

-- days in work of a mentee in the window (ended_on, ended_on + 365] of a duo
-- whose 12-month mark is due: the distinct calendar days covered by any of its
-- spells (stg_jobs; overlapping spells count once)
work_windows as (
    select distinct mentee_id, ended_on from followup_duos where is_due_12m
),

work_window_days as (
    select mentee_id, ended_on, count(distinct work_day) as days_in_work
    from (
        select
            work_windows.mentee_id,
            work_windows.ended_on,
            unnest(generate_series(
                greatest(stg_jobs.started_on, work_windows.ended_on + 1)::timestamp,
                least(stg_jobs.ended_on, work_windows.ended_on + 365)::timestamp,
                interval 1 day)) as work_day
        from work_windows
        join stg_jobs
            on stg_jobs.mentee_id = work_windows.mentee_id
            and stg_jobs.started_on <= work_windows.ended_on + 365
            and stg_jobs.ended_on > work_windows.ended_on
    )
    group by mentee_id, ended_on
),

worked_figures as (
    select
        followup_duos.bucket_id,
        avg((coalesce(work_window_days.days_in_work, 0) >= $min_days_in_work)::integer) as worked_90d_rate_12m
    from followup_duos
    left join work_window_days
        on work_window_days.mentee_id = followup_duos.mentee_id
        and work_window_days.ended_on = followup_duos.ended_on
    where followup_duos.is_due_12m
    group by followup_duos.bucket_id
),

-- duo-months: whole calendar months inside [F, d] on every day of which the
-- duo is active (first meeting on or before the 1st, not ended by the last day)
bucket_months as (
    select bucket_id, month_start, last_day(month_start) as month_end
    from (
        select
            bucket_id,
            period_from,
            d,
            unnest(generate_series(date_trunc('month', period_from), d::timestamp, interval 1 month))::date
                as month_start
        from bucket_list
    )
    where month_start >= period_from and last_day(month_start) <= d
),

duo_months as (
    select bucket_months.bucket_id, bucket_duos.duo_key, bucket_months.month_start, bucket_months.month_end
    from bucket_months
    join bucket_duos
        on bucket_duos.bucket_id = bucket_months.bucket_id
        and bucket_duos.first_meeting_on <= bucket_months.month_start
    where bucket_duos.ended_on is null or bucket_duos.ended_on > bucket_months.month_end
),

checked_months as (
    select distinct duo_months.bucket_id, duo_months.duo_key, duo_months.month_start
    from duo_months
    join stg_check_ins
        on stg_check_ins.duo_key = duo_months.duo_key
        and stg_check_ins.checked_on between duo_months.month_start and duo_months.month_end
),

monthly_check_ins as (
    select
        duo_months.bucket_id,
        avg((checked_months.duo_key is not null)::integer) as monthly_check_in_rate
    from duo_months
    left join checked_months
        on checked_months.bucket_id = duo_months.bucket_id
        and checked_months.duo_key = duo_months.duo_key
        and checked_months.month_start = duo_months.month_start
    group by duo_months.bucket_id
),

-- realized duos whose end + 365 days is in the period and past on $as_of, and
-- those whose mentor has another duo (any branch, started or not) matched in
-- (this duo's matched_on, this duo's ended_on + 365]
returning_duos as (
    select buckets.bucket_id, mart_duos.duo_key, mart_duos.mentor_key, mart_duos.matched_on, mart_duos.ended_on
    from buckets
    join mart_duos
        on mart_duos.branch = buckets.branch
        and mart_duos.ended_on + 365 between buckets.period_from and buckets.period_to
    where mart_duos.is_realized and mart_duos.ended_on + 365 <= $as_of
),

returned_duos as (
    select distinct returning_duos.bucket_id, returning_duos.duo_key
    from returning_duos
    join mart_duos as later
        on later.mentor_key = returning_duos.mentor_key
        and later.matched_on > returning_duos.matched_on
        and later.matched_on <= returning_duos.ended_on + 365
),

mentor_returns as (
    select
        returning_duos.bucket_id,
        avg((returned_duos.duo_key is not null)::integer) as mentor_return_rate_12m
    from returning_duos
    left join returned_duos
        on returned_duos.bucket_id = returning_duos.bucket_id
        and returned_duos.duo_key = returning_duos.duo_key
    group by returning_duos.bucket_id
),

-- trained mentors (by their own branch) in the pool on d with no duo open on d
-- in any branch (matched but not started is open)
free_mentors as (
    select buckets.bucket_id, count(*) as free_trained_mentors
    from buckets
    join stg_mentors on stg_mentors.branch = buckets.branch
    where stg_mentors.applied_on <= buckets.d
        and stg_mentors.training_completed_on <= buckets.d
        and (stg_mentors.left_on is null or stg_mentors.left_on > buckets.d)
        and not exists (
            select 1
            from mart_duos
            where mart_duos.mentor_id = stg_mentors.mentor_id
                and mart_duos.matched_on <= buckets.d
                and (mart_duos.ended_on is null or mart_duos.ended_on > buckets.d)
        )
    group by buckets.bucket_id
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
    case when presence.has_funding then funding_figures.largest_funder_share end as largest_funder_share,
    -- v2 keys
    coalesce(waiting_figures.mentees_waiting_over_30d, 0) as mentees_waiting_over_30d,
    coalesce(free_mentors.free_trained_mentors, 0) as free_trained_mentors,
    duo_figures.trained_before_match_rate,
    case when presence.has_check_ins then monthly_check_ins.monthly_check_in_rate end as monthly_check_in_rate,
    duo_figures.closed_before_term_rate,
    mentor_returns.mentor_return_rate_12m,
    duo_figures.staff_at_first_meeting_recorded_rate,
    case when presence.has_staff then duo_figures.coordinator_recorded_rate end as coordinator_recorded_rate,
    case when presence.has_outcomes then followup_v2_figures.followup_3m_coverage end as followup_3m_coverage,
    case when presence.has_outcomes then followup_v2_figures.followup_6m_coverage end as followup_6m_coverage,
    case when presence.has_outcomes then coalesce(followup_v2_figures.followup_12m_overdue, 0) end
        as followup_12m_overdue,
    case when presence.has_outcomes then followup_v2_figures.positive_rate_12m end as positive_rate_12m,
    case when presence.has_outcomes then followup_v2_figures.job_rate_12m_low end as job_rate_12m_low,
    case when presence.has_outcomes then followup_v2_figures.job_rate_12m_high end as job_rate_12m_high,
    case when presence.has_outcomes then duo_figures.positive_exit_rate_high end as positive_exit_rate_high,
    case when presence.has_jobs then worked_figures.worked_90d_rate_12m end as worked_90d_rate_12m
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
left join followup_v2_figures on followup_v2_figures.bucket_id = bucket_list.bucket_id
left join worked_figures on worked_figures.bucket_id = bucket_list.bucket_id
left join monthly_check_ins on monthly_check_ins.bucket_id = bucket_list.bucket_id
left join mentor_returns on mentor_returns.bucket_id = bucket_list.bucket_id
left join free_mentors on free_mentors.bucket_id = bucket_list.bucket_id
order by bucket_list.bucket_id
