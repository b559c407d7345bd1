-- grain: one row per (exit status, contract) among the realized duos that
-- ended in [period_from, period_to], for a single bucket, filtered by the
-- duo's branch (the handbook's exit_outcome_coverage population).
-- exit_status: the status of the duo's exit outcome (mart_duo_outcomes:
-- latest recorded_on, ties -> largest outcome_id), or 'no_exit_outcome';
-- contract: that same outcome row's contract, or 'not_recorded' when empty
-- (and for duos without an exit outcome).
-- (stg_duos reads a first meeting or an end after $as_of as empty: realized
-- = first_meeting_on not null.)
with ended as (
    select
        stg_duos.duo_id,
        coalesce(ins_duo_outcomes.exit_status, 'no_exit_outcome') as exit_status,
        coalesce(ins_exit_contracts.exit_contract, 'not_recorded') as contract,
        coalesce(ins_duo_outcomes.is_positive_exit, false) as is_positive_exit,
        coalesce(ins_duo_outcomes.is_job_exit, false) as is_job_exit
    from buckets
    join stg_duos on stg_duos.branch = buckets.branch
    left join ins_duo_outcomes on ins_duo_outcomes.duo_id = stg_duos.duo_id
    left join ins_exit_contracts on ins_exit_contracts.duo_id = stg_duos.duo_id
    where stg_duos.first_meeting_on is not null
        and stg_duos.ended_on between buckets.period_from and buckets.period_to
)

select
    exit_status,
    contract,
    bool_or(is_positive_exit) as is_positive,
    bool_or(is_job_exit) as is_job,
    count(*) as duos,
    count(*) / sum(count(*)) over () as share
from ended
group by exit_status, contract
-- one row per (exit_status, contract): a total order
order by exit_status, contract nulls last
