-- grain: one row per duo known on $as_of.
-- A duo matched after $as_of, or whose mentee or mentor is not known on
-- $as_of, is ignored. A first meeting or end after $as_of is read as empty,
-- and so is what depends on it (staff at the first meeting, the end reason).
-- A coordinator who had not started on $as_of is read as empty.
select
    duos.duo_id,
    duos.mentee_id,
    duos.mentor_id,
    case when stg_staff.staff_id is not null then duos.coordinator_id end as coordinator_id,
    duos.branch,
    duos.matched_on,
    case when duos.first_meeting_on <= $as_of then duos.first_meeting_on end as first_meeting_on,
    case when duos.first_meeting_on <= $as_of then duos.staff_at_first_meeting end as staff_at_first_meeting,
    case when duos.ended_on <= $as_of then duos.ended_on end as ended_on,
    case when duos.ended_on <= $as_of then duos.end_reason end as end_reason
from duos
semi join stg_mentees on stg_mentees.mentee_id = duos.mentee_id
semi join stg_mentors on stg_mentors.mentor_id = duos.mentor_id
left join stg_staff on stg_staff.staff_id = duos.coordinator_id
where duos.matched_on <= $as_of
