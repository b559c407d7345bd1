-- grain: one row per part of the programme: `scope` (what the grants of the
-- funders in $funders covered, ins_funding_grants), `rest` (everything else
-- in the same window) and `programme` (both). The window runs from the
-- earliest covers_from of those grants to the latest covers_to, at most
-- $as_of. Something is in the scope when some grant covers its branch (every
-- branch for a grant with no branch, `central` included) on its day:
--   duos_started    realized duos by their branch and first_meeting_on
--   mentees         distinct mentees of those duos
--   duos_ended      realized duos by their branch and ended_on
--   positive_exits  those of them whose exit outcome status is positive
--   costs_eur       cost rows by their branch and the first day of their month
with grants as (
    select * from ins_funding_grants
),

span as (
    select min(covers_from) as window_from, least(max(covers_to), $as_of) as window_to from grants
),

events as (
    select 'duo' as kind, branch, first_meeting_on as day, duo_key, mentee_key,
        false as is_positive, 0.0 as amount_eur
    from mart_duos
    where is_realized
    union all
    select 'ended' as kind, branch, ended_on as day, duo_key, mentee_key,
        coalesce(exit_status in (select unnest($positive_statuses)), false) as is_positive, 0.0 as amount_eur
    from mart_duos
    where is_realized and ended_on is not null
    union all
    select 'cost' as kind, branch, month as day, null as duo_key, null as mentee_key,
        false as is_positive, amount_eur
    from stg_costs
),

windowed as (
    select
        events.*,
        exists (
            select 1 from grants
            where (grants.all_branches or grants.branch = events.branch)
                and events.day between grants.covers_from and grants.covers_to
        ) as in_scope
    from events, span
    where events.day between span.window_from and span.window_to
),

parts as (
    select * from (values ('scope', 1), ('rest', 2), ('programme', 3)) as p(part, part_order)
)

select
    parts.part,
    count(distinct windowed.duo_key) filter (where windowed.kind = 'duo') as duos_started,
    count(distinct windowed.mentee_key) filter (where windowed.kind = 'duo') as mentees,
    count(distinct windowed.duo_key) filter (where windowed.kind = 'ended') as duos_ended,
    count(distinct windowed.duo_key) filter (where windowed.kind = 'ended' and windowed.is_positive)
        as positive_exits,
    coalesce(sum(windowed.amount_eur) filter (where windowed.kind = 'cost'), 0) as costs_eur,
    min(span.window_from) as window_from,
    min(span.window_to) as window_to
from parts
cross join span
left join windowed
    on parts.part = 'programme'
    or parts.part = case when windowed.in_scope then 'scope' else 'rest' end
group by parts.part, parts.part_order
order by parts.part_order
