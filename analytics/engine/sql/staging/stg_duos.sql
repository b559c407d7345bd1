-- grain: one row per duo known on $as_of (fct_duos.known_from <= $as_of).
-- A duo matched after $as_of, or whose mentee or mentor is not known on
-- $as_of, is ignored. A first meeting or end after $as_of is read as empty,
-- and so is what depends on it (staff at the first meeting, the end reason,
-- the hours from the first meeting to the end). A coordinator who had not
-- started on $as_of is read as empty, and so is a mentor's training after it.
-- is_first_duo_of_mentee: the earliest matched_on among the mentee's duos
-- known on $as_of (all branches), ties -> smallest duo_id as text.
-- final_exit_status / final_followup_12m_status: the duo's final outcome of
-- the stage when it was recorded by $as_of; empty otherwise, and then an
-- outcome it later superseded may be the latest on $as_of (mart_duos).
select
    duo_key,
    mentee_key,
    mentor_key,
    duo_id,
    mentee_id,
    mentor_id,
    case when coordinator_started_on <= $as_of then coordinator_id end as coordinator_id,
    branch,
    matched_on,
    case when first_meeting_on <= $as_of then first_meeting_on end as first_meeting_on,
    case when first_meeting_on <= $as_of then staff_at_first_meeting end as staff_at_first_meeting,
    case when ended_on <= $as_of then ended_on end as ended_on,
    case when ended_on <= $as_of then end_reason end as end_reason,
    days_to_match,
    case when mentor_training_completed_on <= $as_of then mentor_training_completed_on end
        as mentor_training_completed_on,
    first_until is null or first_until > $as_of as is_first_duo_of_mentee,
    case when ended_on <= $as_of then hours_first_to_end end as hours_first_to_end,
    case when exit_final_from <= $as_of then exit_status_final end as final_exit_status,
    case when followup_12m_final_from <= $as_of then followup_12m_status_final end
        as final_followup_12m_status
from fct_duos
where known_from <= $as_of
