-- grain: one row per staff check-in made by $as_of, of a duo known on $as_of.
-- A reference to a staff member not started on $as_of is read as empty.
-- duo_branch is the branch of the check-in's duo.
-- The free-text note is personal data and is not carried past the raw layer.
select
    check_in_id,
    duo_id,
    duo_key,
    duo_branch,
    case when staff_started_on <= $as_of then staff_id end as staff_id,
    checked_on,
    mentee_satisfaction,
    mentor_satisfaction,
    concern
from fct_check_ins
where checked_on <= $as_of
    and duo_known_from <= $as_of
