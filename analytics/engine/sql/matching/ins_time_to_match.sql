-- grain: one row per (group, day) at which a mentee of the group is matched
-- or censored, plus day 0 for every group: the Kaplan-Meier life table of
-- time to match, in days since the application.
-- Population: mentees with decision = eligible on $as_of (mart_mentees), in
-- the branch filter ($branches, empty = all) by their own branch; group = the
-- branch when $by_branch, else 'all'.
-- day = first_matched_on - applied_on for a mentee matched by $as_of (an
-- event); a mentee still waiting is censored at $as_of - applied_on, and one
-- who withdrew before a match at withdrawn_on - applied_on (the withdrawal
-- ends the wait without a match: counted apart, ins_waiting_withdrawals).
-- risk_set = mentees of the group with day >= this day; still_waiting =
-- product over days <= this day of (1 - matched / risk_set), the share not yet
-- matched. Aggregated to (group, day) before the window functions.
with population as (
    select
        case when $by_branch then branch else 'all' end as group_name,
        case
            when first_matched_on is not null then first_matched_on - applied_on
            when withdrawn_on is not null then greatest(withdrawn_on - applied_on, 0)
            else $as_of - applied_on
        end as day,
        (first_matched_on is not null)::integer as is_event
    from mart_mentees
    where decision = 'eligible'
        and (len($branches) = 0 or list_contains($branches, branch))
),

per_day as (
    select group_name, day, sum(is_event) as matched, count(*) as leaving
    from population
    group by group_name, day
    union all
    select distinct group_name, 0, 0, 0 from population
),

summed as (
    select group_name, day, sum(matched) as matched, sum(leaving) as leaving
    from per_day
    group by group_name, day
),

life as (
    select
        group_name,
        day,
        matched::integer as matched,
        (leaving - matched)::integer as censored,
        (sum(leaving) over (partition by group_name order by day desc
                            rows between unbounded preceding and current row))::integer as risk_set
    from summed
)

select
    group_name,
    day,
    risk_set,
    matched,
    censored,
    exp(sum(ln(greatest(1 - matched / risk_set, 1e-300))) over (
        partition by group_name order by day rows between unbounded preceding and current row))
        * case when bool_or(matched = risk_set and matched > 0) over (
            partition by group_name order by day rows between unbounded preceding and current row)
          then 0 else 1 end as still_waiting
from life
order by group_name, day
