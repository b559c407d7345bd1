-- grain: one row per staff member who had started on $as_of.
-- A departure after $as_of is read as empty.
select
    staff_id,
    branch,
    role,
    fte,
    started_on,
    case when left_on <= $as_of then left_on end as left_on
from staff
where started_on <= $as_of
