-- grain: one row per bucket: the counts behind the handbook's
-- followup_12m_coverage and job_rate_12m (the rates themselves come from the
-- engine). Population: realized duos of the bucket's filter whose 12-month
-- mark ended_on + 365 is in [period_from, period_to] and <= $as_of.
--   duos_due_12m          those duos (the coverage denominator)
--   duos_followed_up_12m  of them, with a followup_12m outcome
--   duos_in_job_12m       of those, whose latest followup_12m status is a job
with bucket_list as (
    select distinct bucket_id from buckets
),

counts as (
    select
        buckets.bucket_id,
        count(*) as duos_due_12m,
        count(*) filter (where ins_duo_outcomes.has_followup_12m) as duos_followed_up_12m,
        count(*) filter (
            where ins_duo_outcomes.has_followup_12m and ins_duo_outcomes.is_job_at_12m
        ) as duos_in_job_12m
    from buckets
    join mart_duos on mart_duos.branch = buckets.branch
    left join ins_duo_outcomes on ins_duo_outcomes.duo_id = mart_duos.duo_id
    where mart_duos.is_realized
        and mart_duos.followup_12m_mark_on between buckets.period_from and buckets.period_to
        and mart_duos.followup_12m_mark_on <= $as_of
    group by buckets.bucket_id
)

select
    bucket_list.bucket_id,
    coalesce(counts.duos_due_12m, 0) as duos_due_12m,
    case when stg_presence.has_outcomes then coalesce(counts.duos_followed_up_12m, 0) end
        as duos_followed_up_12m,
    case when stg_presence.has_outcomes then coalesce(counts.duos_in_job_12m, 0) end as duos_in_job_12m
from bucket_list
cross join stg_presence
left join counts on counts.bucket_id = bucket_list.bucket_id
order by bucket_list.bucket_id
