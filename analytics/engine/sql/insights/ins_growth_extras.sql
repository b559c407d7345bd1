-- grain: one row per bucket (a period with a branch filter, see buckets.sql):
-- the growth figures that are not in the handbook (registry, in_handbook=False).
--   mentees_waiting           the handbook's count, from ins_waiting_mentees
--   mentees_waiting_over_30d  of them, days_waiting = d - applied_on > 30
--   median_days_waiting       median of days_waiting (null when nobody waits)
--   free_trained_mentors      mentors (filtered by their own branch) who applied
--                             on or before d, had completed the training on or
--                             before d, had not left on d (left_on empty or > d)
--                             and have no duo, in any branch, open on d
--                             (matched_on <= d, ended_on empty or > d)
--   mentors_first_duo_ended   mentors whose first realized duo (among their
--                             duos with first_meeting_on <= d, the earliest
--                             matched_on, ties -> smallest duo_id, all branches)
--                             ended on or before d; filtered by that duo's branch
--   mentors_reengaged         of them, those with a later duo (later matched_on,
--                             or the same day and a larger duo_id), in any
--                             branch, matched on or before d, started or not
--   (the share of them is the handbook's mentor_return_rate_12m since v2, with
--   its own window; these two counts are the page's since-the-start context)
--   funnel_*                  the funnel of the bucket (ins_funnel.sql)
with bucket_list as (
    select distinct bucket_id, period_from, period_to, d from buckets
),

waiting as (
    select
        bucket_id,
        count(*) as mentees_waiting,
        count(*) filter (where days_waiting > 30) as mentees_waiting_over_30d,
        median(days_waiting) as median_days_waiting
    from ins_waiting_mentees
    group by bucket_id
),

free_mentors as (
    select buckets.bucket_id, count(*) as free_trained_mentors
    from buckets
    join stg_mentors on stg_mentors.branch = buckets.branch
    where stg_mentors.applied_on <= buckets.d
        and stg_mentors.training_completed_on <= buckets.d
        and (stg_mentors.left_on is null or stg_mentors.left_on > buckets.d)
        and not exists (
            select 1
            from stg_duos
            where stg_duos.mentor_id = stg_mentors.mentor_id
                and stg_duos.matched_on <= buckets.d
                and (stg_duos.ended_on is null or stg_duos.ended_on > buckets.d)
        )
    group by buckets.bucket_id
),

-- each mentor's first realized duo on d: among the duos with a first meeting on
-- or before d, the earliest matched_on, ties -> smallest duo_id (all branches)
first_realized as (
    select
        bucket_list.bucket_id,
        bucket_list.d,
        stg_duos.mentor_id,
        arg_min(
            {'duo_id': stg_duos.duo_id, 'branch': stg_duos.branch, 'matched_on': stg_duos.matched_on,
             'ended_on': stg_duos.ended_on},
            (stg_duos.matched_on, stg_duos.duo_id)
        ) as first_duo
    from bucket_list
    join stg_duos on stg_duos.first_meeting_on <= bucket_list.d
    group by bucket_list.bucket_id, bucket_list.d, stg_duos.mentor_id
),

first_ended as (
    select
        first_realized.bucket_id,
        first_realized.d,
        first_realized.mentor_id,
        first_realized.first_duo.duo_id as duo_id,
        first_realized.first_duo.matched_on as matched_on
    from first_realized
    semi join buckets
        on buckets.bucket_id = first_realized.bucket_id and buckets.branch = first_realized.first_duo.branch
    where first_realized.first_duo.ended_on <= first_realized.d
),

reengaged as (
    -- one row per (bucket, mentor) with a later duo matched on or before d
    select distinct first_ended.bucket_id, first_ended.mentor_id
    from first_ended
    join stg_duos as later on later.mentor_id = first_ended.mentor_id
    where later.matched_on <= first_ended.d
        and (later.matched_on > first_ended.matched_on
            or (later.matched_on = first_ended.matched_on and later.duo_id > first_ended.duo_id))
),

reengagement as (
    select
        first_ended.bucket_id,
        count(*) as mentors_first_duo_ended,
        count(reengaged.mentor_id) as mentors_reengaged
    from first_ended
    left join reengaged
        on reengaged.bucket_id = first_ended.bucket_id and reengaged.mentor_id = first_ended.mentor_id
    group by first_ended.bucket_id
)

select
    bucket_list.bucket_id,
    bucket_list.period_from,
    bucket_list.period_to,
    bucket_list.d,
    coalesce(waiting.mentees_waiting, 0) as mentees_waiting,
    coalesce(waiting.mentees_waiting_over_30d, 0) as mentees_waiting_over_30d,
    waiting.median_days_waiting,
    coalesce(free_mentors.free_trained_mentors, 0) as free_trained_mentors,
    coalesce(reengagement.mentors_first_duo_ended, 0) as mentors_first_duo_ended,
    coalesce(reengagement.mentors_reengaged, 0) as mentors_reengaged,
    -- the funnel (ins_funnel.sql) in the same statement, so staging is built once
    ins_funnel.* exclude (bucket_id, period_from, period_to)
from bucket_list
left join waiting on waiting.bucket_id = bucket_list.bucket_id
left join free_mentors on free_mentors.bucket_id = bucket_list.bucket_id
left join reengagement on reengagement.bucket_id = bucket_list.bucket_id
left join ins_funnel on ins_funnel.bucket_id = bucket_list.bucket_id
order by bucket_list.bucket_id
