-- grain: one row per (bucket, funder_type) with funding received in the
-- bucket, in the bucket's filter (a funding row with no branch counts as
-- `central`: in with an empty filter or one naming `central`, as the handbook
-- says). amount_eur: sum of amount_eur of funding rows with received_on in
-- [period_from, period_to]; share: amount_eur / the bucket's total funding.
-- The concentration keys (funding_hhi, largest_funder_share) come from the
-- engine, per bucket.
with by_type as (
    select buckets.bucket_id, stg_funding.funder_type, sum(stg_funding.amount_eur) as amount_eur
    from buckets
    join stg_funding
        on stg_funding.filter_branch = buckets.branch
        and stg_funding.received_on between buckets.period_from and buckets.period_to
    group by buckets.bucket_id, stg_funding.funder_type
)

select
    bucket_id,
    funder_type,
    amount_eur,
    amount_eur / nullif(sum(amount_eur) over (partition by bucket_id), 0) as share
from by_type
order by bucket_id, funder_type
