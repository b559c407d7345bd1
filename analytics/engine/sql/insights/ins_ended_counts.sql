-- grain: one row per bucket with realized duos that ended in its
-- [period_from, period_to], filtered by the duo's branch: the population of
-- the handbook's positive_exit_rate and job_exit_rate, with its exit outcomes
-- (ins_outcome_breakdown's counts summed over its groups, for every bucket of
-- a series in one statement). A bucket without such a duo has no row. The
-- counts of outcomes are null when the outcomes table is absent.
with ended as (
    select
        buckets.bucket_id,
        coalesce(ins_duo_outcomes.has_exit_outcome, false) as has_exit_outcome,
        coalesce(ins_duo_outcomes.is_positive_exit, false) as is_positive_exit,
        coalesce(ins_duo_outcomes.is_job_exit, false) as is_job_exit
    from buckets
    join stg_duos on stg_duos.branch = buckets.branch
    join stg_mentees on stg_mentees.mentee_id = stg_duos.mentee_id
    left join ins_duo_outcomes on ins_duo_outcomes.duo_id = stg_duos.duo_id
    -- realized (stg_duos reads a first meeting after $as_of as empty) and ended in the period
    where stg_duos.first_meeting_on is not null
        and stg_duos.ended_on between buckets.period_from and buckets.period_to
),

counts as (
    select
        bucket_id,
        count(*) as duos,
        count(*) filter (where has_exit_outcome) as exit_outcomes,
        count(*) filter (where is_positive_exit) as positive_exits,
        count(*) filter (where is_job_exit) as jobs
    from ended
    group by bucket_id
)

select
    counts.bucket_id,
    counts.duos,
    case when stg_presence.has_outcomes then counts.exit_outcomes end as exit_outcomes,
    case when stg_presence.has_outcomes then counts.positive_exits end as positive_exits,
    case when stg_presence.has_outcomes then counts.jobs end as jobs
from counts
cross join stg_presence
order by counts.bucket_id
