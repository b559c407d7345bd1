-- grain: one row per funding row of the funders named in $funders received by
-- $as_of: what it covered. A row covers its branch (every branch when its
-- branch is empty: `all_branches`) from covers_from to covers_to; an empty
-- covers_from is 1 January of the year of covers_to if given, else of
-- received_on; an empty covers_to is 31 December of the year of covers_from
-- if given, else of received_on.
select
    received_on,
    funder,
    amount_eur,
    branch,
    branch is null as all_branches,
    coalesce(covers_from, make_date(year(coalesce(covers_to, received_on)), 1, 1)) as covers_from,
    coalesce(covers_to, make_date(year(coalesce(covers_from, received_on)), 12, 31)) as covers_to
from funding
where received_on <= $as_of
    and funder in (select unnest($funders))
