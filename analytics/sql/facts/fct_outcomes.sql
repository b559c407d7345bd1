-- grain: one row per exit or 12-month follow-up outcome of a duo in fct_duos.
-- The latest outcome of a duo and stage on an as-of date A (latest
-- recorded_on, ties -> largest outcome_id as text) is the one row with
-- recorded_on <= A < superseded_on (empty superseded_on: never superseded):
-- superseded_on is the earliest recorded_on of the outcomes after it in
-- that order. duo_known_from carries fct_duos.known_from.
select
    outcomes.duo_id,
    fct_duos.known_from as duo_known_from,
    outcomes.stage,
    outcomes.status,
    outcomes.recorded_on,
    min(outcomes.recorded_on) over (
        partition by outcomes.duo_id, outcomes.stage order by outcomes.recorded_on, outcomes.outcome_id
        rows between 1 following and unbounded following
    ) as superseded_on
from outcomes
join fct_duos on fct_duos.duo_id = outcomes.duo_id
where outcomes.stage in ('exit', 'followup_12m')
