-- grain: one row per duo known on $as_of that has an exit or a 12-month
-- follow-up outcome recorded by $as_of (the outcome columns of mart_duos).
--   exit_status          status of the latest exit outcome
--                        (latest recorded_on, ties -> largest outcome_id as text)
--   followup_12m_status  likewise for the latest followup_12m outcome
-- A duo absent from this mart has neither.
select duo_id, exit_status, followup_12m_status
from mart_duos
where exit_status is not null or followup_12m_status is not null
