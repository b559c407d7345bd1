-- grain: one row per branch (the filter $branches, empty = every branch with
-- a mentee or a mentor known on $as_of): the mentor pipeline on $as_of.
--   mentees_waiting, free_mentors, mentors_in_training   as in ins_supply_demand
--   open_duos         duos of the branch open on $as_of (matched, not ended)
--   ended_duos        duos of the branch ended on or before $as_of
--   ended_then_again  those whose mentor has a later duo (matched_on after
--                     the ended duo's matched_on, by $as_of): return_rate =
--                     ended_then_again / ended_duos, null when none ended.
with branches as (
    select branch from stg_mentees union select branch from stg_mentors
),

duo_counts as (
    select
        branch,
        count(*) filter (where ended_on is null) as open_duos,
        count(*) filter (where ended_on is not null) as ended_duos,
        count(*) filter (
            where ended_on is not null
            and exists (
                select 1 from stg_duos as later
                where later.mentor_id = stg_duos.mentor_id and later.matched_on > stg_duos.matched_on
            )
        ) as ended_then_again
    from stg_duos
    group by branch
),

waiting as (select branch, count(*) as n from mart_waiting_mentees group by branch),
free as (select branch, count(*) as n from mart_free_mentors group by branch),
training as (select branch, count(*) as n from mart_mentors_in_training group by branch)

select
    branches.branch,
    coalesce(waiting.n, 0)::integer as mentees_waiting,
    coalesce(free.n, 0)::integer as free_mentors,
    coalesce(training.n, 0)::integer as mentors_in_training,
    coalesce(duo_counts.open_duos, 0)::integer as open_duos,
    coalesce(duo_counts.ended_duos, 0)::integer as ended_duos,
    coalesce(duo_counts.ended_then_again, 0)::integer as ended_then_again,
    duo_counts.ended_then_again / nullif(duo_counts.ended_duos, 0) as return_rate
from branches
left join waiting on waiting.branch = branches.branch
left join free on free.branch = branches.branch
left join training on training.branch = branches.branch
left join duo_counts on duo_counts.branch = branches.branch
where len($branches) = 0 or list_contains($branches, branches.branch)
order by branches.branch
