-- grain: one row (a single bucket): the programme's headline per person.
-- A mentee's last duo is, among its realized duos, the one with the latest
-- ended_on (ties -> largest duo_id); a mentee with a realized duo still open
-- on $as_of has no last duo yet. Population: mentees whose last duo ended in
-- [period_from, period_to] with its 12-month mark (ended_on + 365) on or
-- before $as_of, filtered by the branch of that last duo.
-- Window: [last end, last end + 365]. An outcome row (any stage, of any of
-- the mentee's duos, recorded on or before $as_of) counts when the day it
-- measures falls in the window: its duo's ended_on plus the stage's offset
-- ($offsets: exit 0, followup_3m 91, followup_6m 182, followup_12m 365 days).
-- The stage, not recorded_on, says when the situation was measured, so a
-- 12-month follow-up recorded a few days late still counts; every outcome
-- row of the last duo itself falls in the window. A mentee
--   has an outcome    when such a row exists
--   is positive       when such a row has a positive status ($positive_statuses:
--                     employed, self_employed, training, internship)
-- person_positive_rate_12m = positive / mentees (no outcome = not positive);
-- person_outcome_coverage_12m = with an outcome / mentees; null when no
-- mentee is in the population; outcome figures null when the outcomes
-- table is absent.
with offsets as (
    select offset_row.stage, offset_row.offset_days
    from (select unnest($offsets) as offset_row)
),

-- realized duos: stg_duos reads a first meeting after $as_of as empty
ranked as (
    select
        mentee_id,
        branch,
        ended_on,
        row_number() over (partition by mentee_id order by ended_on desc nulls first, duo_id desc)
            as recency_rank
    from stg_duos
    where first_meeting_on is not null
),

people as (
    select ranked.mentee_id, ranked.ended_on as last_ended_on
    from ranked
    join buckets on buckets.branch = ranked.branch
    where ranked.recency_rank = 1
        and ranked.ended_on between buckets.period_from and buckets.period_to
        and ranked.ended_on + 365 <= $as_of
),

window_outcomes as (
    select
        people.mentee_id,
        bool_or(list_contains($positive_statuses, stg_outcomes.status)) as is_positive
    from people
    join stg_duos on stg_duos.mentee_id = people.mentee_id
    join stg_outcomes on stg_outcomes.duo_id = stg_duos.duo_id
    join offsets on offsets.stage = stg_outcomes.stage
    where stg_duos.ended_on + offsets.offset_days
        between people.last_ended_on and people.last_ended_on + 365
    group by people.mentee_id
),

counts as (
    select
        count(*) as mentees,
        count(window_outcomes.mentee_id) as mentees_with_outcome,
        count(*) filter (where window_outcomes.is_positive) as mentees_positive
    from people
    left join window_outcomes on window_outcomes.mentee_id = people.mentee_id
)

select
    counts.mentees,
    case when stg_presence.has_outcomes then counts.mentees_with_outcome end as mentees_with_outcome,
    case when stg_presence.has_outcomes then counts.mentees_positive end as mentees_positive,
    case when stg_presence.has_outcomes then counts.mentees_positive / nullif(counts.mentees, 0) end
        as person_positive_rate_12m,
    case when stg_presence.has_outcomes then counts.mentees_with_outcome / nullif(counts.mentees, 0) end
        as person_outcome_coverage_12m
from counts
cross join stg_presence
