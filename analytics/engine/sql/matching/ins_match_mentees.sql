-- grain: one row per mentee waiting on $as_of in the branch filter ($branches
-- by the mentee's own branch; empty = all), longest waiting first, then
-- mentee_id. Beside the wait, what explains a mentee without suggestions:
--   branch_mentors       mentors known on $as_of of the mentee's branch (any state)
--   branch_free_mentors  free trained mentors (mart_free_mentors) of the branch
--   all_free_mentors     free trained mentors of every branch
with branch_mentors as (
    select branch, count(*) as mentors from stg_mentors group by branch
),

branch_free as (
    select branch, count(*) as free_mentors from mart_free_mentors group by branch
)

select
    mart_waiting_mentees.mentee_id,
    mart_waiting_mentees.branch,
    mart_waiting_mentees.applied_on,
    mart_waiting_mentees.waiting_days,
    mart_waiting_mentees.sector_sought,
    coalesce(branch_mentors.mentors, 0) as branch_mentors,
    coalesce(branch_free.free_mentors, 0) as branch_free_mentors,
    (select count(*) from mart_free_mentors) as all_free_mentors
from mart_waiting_mentees
left join branch_mentors on branch_mentors.branch = mart_waiting_mentees.branch
left join branch_free on branch_free.branch = mart_waiting_mentees.branch
where len($branches) = 0 or list_contains($branches, mart_waiting_mentees.branch)
order by mart_waiting_mentees.waiting_days desc, mart_waiting_mentees.mentee_id
