-- grain: one row per bucket: the funnel of ins_funnel_counts.sql (see its
-- definitions), with 0 for a bucket without applicants, and
-- funnel_positive_exit null when the outcomes table is absent.
with bucket_list as (
    select distinct bucket_id, period_from, period_to from buckets
)

select
    bucket_list.bucket_id,
    bucket_list.period_from,
    bucket_list.period_to,
    coalesce(ins_funnel_counts.funnel_applied, 0) as funnel_applied,
    coalesce(ins_funnel_counts.funnel_interviewed, 0) as funnel_interviewed,
    coalesce(ins_funnel_counts.funnel_eligible, 0) as funnel_eligible,
    coalesce(ins_funnel_counts.funnel_matched, 0) as funnel_matched,
    coalesce(ins_funnel_counts.funnel_realized, 0) as funnel_realized,
    coalesce(ins_funnel_counts.funnel_ended, 0) as funnel_ended,
    case when stg_presence.has_outcomes then coalesce(ins_funnel_counts.funnel_positive_exit, 0) end
        as funnel_positive_exit
from bucket_list
cross join stg_presence
left join ins_funnel_counts on ins_funnel_counts.bucket_id = bucket_list.bucket_id
order by bucket_list.bucket_id
