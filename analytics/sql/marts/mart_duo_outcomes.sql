-- grain: one row per duo known on $as_of that has an exit or a 12-month
-- follow-up outcome recorded by $as_of.
--   exit_status          status of the latest exit outcome
--                        (latest recorded_on, ties -> largest outcome_id as text)
--   followup_12m_status  likewise for the latest followup_12m outcome
-- A duo absent from this mart has neither. fct_outcomes keeps, for each
-- outcome, the day a later one superseded it, so the latest on $as_of is a filter.
select
    duo_id,
    max(status) filter (where stage = 'exit') as exit_status,
    max(status) filter (where stage = 'followup_12m') as followup_12m_status
from fct_outcomes
where recorded_on <= $as_of
    and (superseded_on is null or superseded_on > $as_of)
    and duo_known_from <= $as_of
group by duo_id
