-- grain: one row per (branch, calendar month) from the month of the first
-- application in the branch to the month of $as_of: new eligible mentees,
-- those applied in the month whose decision on $as_of is eligible (the
-- application history the forecast reads; a month without any counts 0).
-- The branch filter ($branches, empty = all) by the mentee's branch.
with eligible as (
    select branch, date_trunc('month', applied_on)::date as month
    from stg_mentees
    where decision = 'eligible'
        and (len($branches) = 0 or list_contains($branches, branch))
),

spans as (
    select branch, min(month) as first_month from eligible group by branch
),

months as (
    select spans.branch, unnest(generate_series(spans.first_month, date_trunc('month', $as_of::date)::date,
                                                interval 1 month))::date as month
    from spans
)

select months.branch, months.month, count(eligible.month)::integer as new_eligible
from months
left join eligible on eligible.branch = months.branch and eligible.month = months.month
group by months.branch, months.month
order by months.branch, months.month
