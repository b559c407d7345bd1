-- grain: one row per (branch, sector) with a mentee waiting, a free trained
-- mentor or a mentor in training on $as_of; the branch filter ($branches,
-- empty = all) by each person's own branch. The sector is the mentee's
-- sector_sought or the mentor's former_sector, compared trimmed and
-- lower-case (sector_key; empty = no sector given), shown as first spelled
-- (smallest spelling as text).
--   mentees_waiting       mart_waiting_mentees (the handbook's mentees_waiting)
--   free_mentors          mart_free_mentors (the v2 handbook's free_trained_mentors)
--   mentors_in_training   mart_mentors_in_training
--   gap                   mentees_waiting - free_mentors (> 0: mentors short)
with people as (
    select branch, sector_key, sector_sought as sector, 1 as waiting, 0 as free, 0 as training
    from mart_waiting_mentees
    union all
    select branch, sector_key, former_sector, 0, 1, 0 from mart_free_mentors
    union all
    select branch, sector_key, former_sector, 0, 0, 1 from mart_mentors_in_training
)

select
    branch,
    sector_key,
    min(sector) as sector,
    sum(waiting)::integer as mentees_waiting,
    sum(free)::integer as free_mentors,
    sum(training)::integer as mentors_in_training,
    (sum(waiting) - sum(free))::integer as gap
from people
where len($branches) = 0 or list_contains($branches, branch)
group by branch, sector_key
order by branch, sector_key nulls last
