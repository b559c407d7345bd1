-- grain: one row per exit or 12-month follow-up outcome.
-- The latest outcome of a duo and stage on an as-of date A (latest
-- recorded_on, ties -> largest outcome_id as text) is the one row with
-- recorded_on <= A < superseded_on (empty superseded_on: never superseded):
-- superseded_on is the earliest recorded_on of the outcomes after it in
-- that order. The row never superseded is the duo's final outcome of the
-- stage, which fct_duos carries.
select
    duo_id,
    stage,
    status,
    recorded_on,
    min(recorded_on) over (
        partition by duo_id, stage order by recorded_on, outcome_id
        rows between 1 following and unbounded following
    ) as superseded_on
from outcomes
where stage in ('exit', 'followup_12m')
