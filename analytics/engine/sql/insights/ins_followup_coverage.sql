-- grain: one row per (cohort, branch, stage) with at least one realized duo
-- that has ended by $as_of: cohort = the year of ended_on, branch = the duo's
-- branch (in $branches, or any when empty), stage = followup_3m, followup_6m
-- or followup_12m, whose mark is ended_on + 91, + 182 or + 365 (mart_duo_stages).
--   due       duos whose mark is on or before $as_of
--   done      of them, those with a follow-up of the stage recorded by $as_of
--             (whenever recorded, even before the mark)
--   overdue   duos whose mark is on or before $as_of - 30 with no follow-up of
--             the stage (as the handbook's followup_12m_overdue)
--   coverage  done / due (null when nothing is due)
with ended as (
    select
        year(ended_on) as cohort,
        branch,
        followup_3m_mark_on,
        followup_6m_mark_on,
        followup_12m_mark_on,
        followup_3m_status is not null as has_followup_3m,
        followup_6m_status is not null as has_followup_6m,
        followup_12m_status is not null as has_followup_12m
    from mart_duo_stages
    where is_realized
        and ended_on is not null
        and (len($branches) = 0 or list_contains($branches, branch))
),

stages as (
    select cohort, branch, 'followup_3m' as stage, followup_3m_mark_on as mark_on,
           has_followup_3m as has_followup
    from ended
    union all
    select cohort, branch, 'followup_6m', followup_6m_mark_on, has_followup_6m from ended
    union all
    select cohort, branch, 'followup_12m', followup_12m_mark_on, has_followup_12m from ended
)

select
    cohort,
    branch,
    stage,
    count(*) filter (where mark_on <= $as_of) as due,
    count(*) filter (where mark_on <= $as_of and has_followup) as done,
    count(*) filter (where mark_on <= $as_of::date - 30 and not has_followup) as overdue,
    count(*) filter (where mark_on <= $as_of and has_followup)
        / nullif(count(*) filter (where mark_on <= $as_of), 0) as coverage
from stages
group by cohort, branch, stage
order by cohort, branch, list_position(['followup_3m', 'followup_6m', 'followup_12m'], stage)
