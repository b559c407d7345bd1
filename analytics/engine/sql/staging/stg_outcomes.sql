-- grain: one row per outcome recorded by $as_of, of a duo known on $as_of.
select outcomes.outcome_id, outcomes.duo_id, outcomes.stage, outcomes.recorded_on,
       outcomes.status, outcomes.contract, outcomes.sector
from outcomes
semi join stg_duos on stg_duos.duo_id = outcomes.duo_id
where outcomes.recorded_on <= $as_of
