-- grain: one row per mentor known on $as_of.
-- An application after $as_of is ignored; an interview, training or departure
-- after it is read as empty (a mentor trained tomorrow is untrained today).
select
    mentor_id,
    branch,
    applied_on,
    case when interviewed_on <= $as_of then interviewed_on end as interviewed_on,
    birth_date,
    gender,
    work_status,
    case when training_completed_on <= $as_of then training_completed_on end as training_completed_on,
    case when left_on <= $as_of then left_on end as left_on
from mentors
where applied_on <= $as_of
