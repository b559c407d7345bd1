-- grain: one row per (group, week) at which a duo of the group ends or is
-- censored, plus week 0 for every group: the Kaplan-Meier life table of duos
-- over whole weeks since the first meeting, for a single bucket.
-- Population (filtered by the duo's branch):
--   $by = 'branch'  realized duos with first_meeting_on in [period_from,
--                   period_to] (so on or before $as_of); group = branch
--   $by = 'cohort'  every realized duo with first_meeting_on <= d, since the
--                   programme began; group = the year of first_meeting_on
-- week = floor((end - first_meeting_on) / 7), end = ended_on, or $as_of for a
-- duo still open on $as_of. Event: ended with end_reason not in {completed,
-- job_found}; a duo ended completed or with a job, or still open, is censored
-- at its week. at_risk = duos of the group with week >= this week (censored
-- ones are at risk at their own week, as lifelines counts them);
-- survival = product over weeks <= this week of (1 - events / at_risk).
-- survival_lower, survival_upper: its 95 % confidence band by the exponential
-- ("log-log") Greenwood formula, as lifelines computes it by default: with
-- g = the sum over weeks <= this week of events / (at_risk (at_risk - events))
-- (a term whose at_risk = events counts 0) and v = ln(survival),
-- exp(-exp(ln(-v) -/+ $z sqrt(g) / v)), $z the normal 97.5 % quantile;
-- 1 where survival is 1 and 0 where it is 0.
-- Everything is aggregated to (group, week) before the window functions, so a
-- million duos reduce to a few thousand rows.
-- (stg_duos reads a first meeting or an end after $as_of as empty, and the
-- end reason with the end.)
with population as (
    select
        case when $by = 'branch' then stg_duos.branch else strftime(stg_duos.first_meeting_on, '%Y') end
            as group_name,
        (coalesce(stg_duos.ended_on, $as_of) - stg_duos.first_meeting_on) // 7 as week,
        (
            stg_duos.ended_on is not null
            and coalesce(stg_duos.end_reason not in ('completed', 'job_found'), true)
        )::integer as is_event
    from buckets
    join stg_duos on stg_duos.branch = buckets.branch
    where stg_duos.first_meeting_on is not null
        and case
            when $by = 'branch'
                then stg_duos.first_meeting_on between buckets.period_from and buckets.period_to
            else stg_duos.first_meeting_on <= buckets.d
        end
),

weekly as (
    select group_name, week, sum(is_event) as events, count(*) - sum(is_event) as censored
    from population
    group by group_name, week
    union all
    -- week 0 for every group, so each curve starts at the start
    select distinct group_name, 0 as week, 0 as events, 0 as censored
    from population
),

life_table as (
    select group_name, week, sum(events)::bigint as events, sum(censored)::bigint as censored
    from weekly
    group by group_name, week
),

at_risk as (
    select
        *,
        sum(events + censored) over (
            partition by group_name order by week desc rows between unbounded preceding and current row
        )::bigint as at_risk
    from life_table
),

curve as (
    select
        group_name,
        week,
        at_risk,
        events,
        censored,
        product(1 - events / at_risk) over (
            partition by group_name order by week rows between unbounded preceding and current row
        ) as survival,
        sum(case when at_risk > events then events / (at_risk * (at_risk - events)) else 0 end) over (
            partition by group_name order by week rows between unbounded preceding and current row
        ) as greenwood
    from at_risk
)

select
    group_name as "group",
    week,
    at_risk,
    events,
    censored,
    survival,
    case
        when survival >= 1 then 1.0
        when survival <= 0 then 0.0
        else exp(-exp(ln(-ln(survival)) - $z * sqrt(greenwood) / ln(survival)))
    end as survival_lower,
    case
        when survival >= 1 then 1.0
        when survival <= 0 then 0.0
        else exp(-exp(ln(-ln(survival)) + $z * sqrt(greenwood) / ln(survival)))
    end as survival_upper
from curve
order by group_name, week
