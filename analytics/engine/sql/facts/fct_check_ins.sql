-- grain: one row per check-in of a duo in fct_duos.
-- Carries what staging needs to read a check-in on an as-of date without a
-- join: the duo's known_from and branch, the staff member's start. The
-- free-text note is personal data and is not carried into the facts.
select
    check_ins.check_in_id,
    check_ins.duo_id,
    fct_duos.duo_key,
    fct_duos.known_from as duo_known_from,
    fct_duos.branch as duo_branch,
    check_ins.staff_id,
    staff.started_on as staff_started_on,
    check_ins.checked_on,
    check_ins.mentee_satisfaction,
    check_ins.mentor_satisfaction,
    check_ins.concern
from check_ins
join fct_duos on fct_duos.duo_id = check_ins.duo_id
left join staff on staff.staff_id = check_ins.staff_id
