-- grain: one row per group of mentees among the realized duos that ended in
-- [period_from, period_to], for a single bucket, filtered by the duo's branch
-- (the population of the handbook's positive_exit_rate and job_exit_rate).
-- $by names the mentee attribute: 'gender', 'education_level', or 'region'
-- (country_of_origin mapped by $regions, a list of {country, region}; a
-- country not in the list is 'Other'). An empty attribute is 'not_recorded'.
-- Raw numerators and denominators, never suppressed here: the suppression
-- module decides what a funder sees. The counts of outcomes are null when the
-- outcomes table is absent.
with region_map as (
    select region_row.country, region_row.region
    from (select unnest($regions) as region_row)
),

ended as (
    select
        case $by
            when 'gender' then coalesce(stg_mentees.gender, 'not_recorded')
            when 'education_level' then coalesce(stg_mentees.education_level, 'not_recorded')
            else coalesce(region_map.region, 'Other')
        end as group_name,
        coalesce(ins_duo_outcomes.has_exit_outcome, false) as has_exit_outcome,
        coalesce(ins_duo_outcomes.is_positive_exit, false) as is_positive_exit,
        coalesce(ins_duo_outcomes.is_job_exit, false) as is_job_exit
    from buckets
    join stg_duos on stg_duos.branch = buckets.branch
    join stg_mentees on stg_mentees.mentee_id = stg_duos.mentee_id
    left join ins_duo_outcomes on ins_duo_outcomes.duo_id = stg_duos.duo_id
    left join region_map on region_map.country = stg_mentees.country_of_origin
    -- realized (stg_duos reads a first meeting after $as_of as empty) and ended in the period
    where stg_duos.first_meeting_on is not null
        and stg_duos.ended_on between buckets.period_from and buckets.period_to
),

counts as (
    select
        group_name,
        count(*) as duos,
        count(*) filter (where has_exit_outcome) as exit_outcomes,
        count(*) filter (where is_positive_exit) as positive_exits,
        count(*) filter (where is_job_exit) as jobs
    from ended
    group by group_name
)

select
    counts.group_name as "group",
    counts.duos,
    case when stg_presence.has_outcomes then counts.exit_outcomes end as exit_outcomes,
    case when stg_presence.has_outcomes then counts.positive_exits end as positive_exits,
    case when stg_presence.has_outcomes then counts.positive_exits / counts.duos end as positive_exit_rate,
    case when stg_presence.has_outcomes then counts.jobs end as jobs,
    case when stg_presence.has_outcomes then counts.jobs / counts.duos end as job_exit_rate
from counts
cross join stg_presence
-- one row per group: a total order (insights.outcome_breakdown then sorts by BREAKDOWN_ORDER)
order by counts.group_name
