-- grain: one row per staff check-in made by $as_of, of a duo known on $as_of.
-- A reference to a staff member not started on $as_of is read as empty.
-- The free-text note is personal data and is not carried past this layer.
select
    check_ins.check_in_id,
    check_ins.duo_id,
    case when stg_staff.staff_id is not null then check_ins.staff_id end as staff_id,
    check_ins.checked_on,
    check_ins.mentee_satisfaction,
    check_ins.mentor_satisfaction,
    check_ins.concern
from check_ins
semi join stg_duos on stg_duos.duo_id = check_ins.duo_id
left join stg_staff on stg_staff.staff_id = check_ins.staff_id
where check_ins.checked_on <= $as_of
