-- grain: one row per duo known on $as_of that has an exit outcome recorded
-- by $as_of: the contract (and sector) of its exit outcome, the same row
-- mart_duo_outcomes takes exit_status from (stage = exit, latest
-- recorded_on, ties -> largest outcome_id as text). The engine's marts carry
-- only the status; this adds the contract without changing the choice.
select
    duo_id,
    arg_max(status, (recorded_on, outcome_id)) as exit_status,
    arg_max(contract, (recorded_on, outcome_id)) as exit_contract,
    arg_max(sector, (recorded_on, outcome_id)) as exit_sector
from stg_outcomes
where stage = 'exit'
group by duo_id
