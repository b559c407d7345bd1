-- grain: one row per bucket that has applicants (ins_funnel.sql adds the
-- others): the funnel from application to positive exit for the mentees who
-- applied in [period_from, period_to], filtered by the mentee's own branch. The cohort is followed up to $as_of (what is known on
-- the as-of date), and every step keeps only the mentees of the step before,
-- so the counts never increase:
--   funnel_applied        applied_on in [F, T]
--   funnel_interviewed    ... with interviewed_on not empty (on or before $as_of)
--   funnel_eligible       ... with decision = eligible
--   funnel_matched        ... with a duo (any branch) matched on or before $as_of
--   funnel_realized       ... with a realized duo (first meeting on or before $as_of)
--   funnel_ended          ... with a realized duo that has ended
--   funnel_positive_exit  ... with a realized, ended duo whose exit outcome is
--                         positive (employed, self_employed, training,
--                         internship); ins_funnel.sql makes it null when
--                         the outcomes table is absent
-- (stg_duos reads a first meeting or an end after $as_of as empty, so a duo
-- is realized when first_meeting_on is not null.)
with cohort_mentees as (
    select buckets.bucket_id, stg_mentees.mentee_id, stg_mentees.interviewed_on, stg_mentees.decision
    from buckets
    join stg_mentees on stg_mentees.branch = buckets.branch
    where stg_mentees.applied_on between buckets.period_from and buckets.period_to
),

-- the cohort's duos only, so that only their outcomes are looked up
cohort_duos as (
    select stg_duos.duo_id, stg_duos.mentee_id, stg_duos.first_meeting_on, stg_duos.ended_on
    from stg_duos
    semi join cohort_mentees on cohort_mentees.mentee_id = stg_duos.mentee_id
),

mentee_duos as (
    select
        cohort_duos.mentee_id,
        bool_or(cohort_duos.first_meeting_on is not null) as has_realized,
        bool_or(cohort_duos.first_meeting_on is not null and cohort_duos.ended_on is not null) as has_ended,
        coalesce(bool_or(
            cohort_duos.first_meeting_on is not null and cohort_duos.ended_on is not null
            and ins_duo_outcomes.is_positive_exit
        ), false) as has_positive_exit
    from cohort_duos
    left join ins_duo_outcomes on ins_duo_outcomes.duo_id = cohort_duos.duo_id
    group by cohort_duos.mentee_id
),

cohort as (
    select
        cohort_mentees.bucket_id,
        cohort_mentees.interviewed_on is not null as is_interviewed,
        cohort_mentees.interviewed_on is not null and cohort_mentees.decision = 'eligible' as is_eligible,
        mentee_duos.mentee_id is not null as has_duo,
        coalesce(mentee_duos.has_realized, false) as has_realized,
        coalesce(mentee_duos.has_ended, false) as has_ended,
        coalesce(mentee_duos.has_positive_exit, false) as has_positive_exit
    from cohort_mentees
    left join mentee_duos on mentee_duos.mentee_id = cohort_mentees.mentee_id
),

counts as (
    select
        bucket_id,
        count(*) as funnel_applied,
        count(*) filter (where is_interviewed) as funnel_interviewed,
        count(*) filter (where is_eligible) as funnel_eligible,
        count(*) filter (where is_eligible and has_duo) as funnel_matched,
        count(*) filter (where is_eligible and has_duo and has_realized) as funnel_realized,
        count(*) filter (where is_eligible and has_duo and has_realized and has_ended) as funnel_ended,
        count(*) filter (
            where is_eligible and has_duo and has_realized and has_ended and has_positive_exit
        ) as funnel_positive_exit
    from cohort
    group by bucket_id
)

select * from counts
