-- grain: one row per (bucket, branch the bucket's filter admits).
-- A bucket is one period [period_from, period_to] with a branch filter; a
-- single query is one bucket, a time series one bucket per month, quarter or
-- year (and per branch). d = min(period_to, $as_of) is the day point-in-time
-- figures are taken on. An empty filter admits every branch, `central` (shared
-- costs, funding with no branch) included; a filter admits only what it names.
with buckets as (
    select
        bucket.bucket_id,
        bucket.period_from,
        bucket.period_to,
        least(bucket.period_to, $as_of) as d,
        bucket.branches
    from (select unnest($buckets) as bucket)
),

every_branch as (
    select branch from mentees
    union select branch from mentors
    union select branch from staff
    union select branch from duos
    union select branch from costs
    union select coalesce(branch, 'central') from funding
    union select 'central'
)

select buckets.bucket_id, buckets.period_from, buckets.period_to, buckets.d, every_branch.branch
from buckets
cross join every_branch
where len(buckets.branches) = 0
union all
select bucket_id, period_from, period_to, d, unnest(branches) as branch
from buckets
where len(branches) > 0
