-- grain: one row per mentor in training on $as_of: applied_on <= $as_of,
-- training_completed_on empty on $as_of (stg_mentors reads a later training as
-- empty) and left_on empty or > $as_of. The pool the matching assistant
-- counts on next, once trained. former_sector as given, lower-case in sector_key.
select
    stg_mentors.mentor_id,
    stg_mentors.branch,
    stg_mentors.applied_on,
    mentors.former_sector,
    lower(trim(mentors.former_sector)) as sector_key
from stg_mentors
join mentors on mentors.mentor_id = stg_mentors.mentor_id
where stg_mentors.training_completed_on is null
    and stg_mentors.left_on is null
