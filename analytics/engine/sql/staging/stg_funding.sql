-- grain: one row per funding row received by $as_of.
-- filter_branch: a row with no branch is for the whole programme; a branch
-- filter keeps it only when it names `central`, as for central costs.
select
    received_on,
    funder,
    funder_type,
    amount_eur,
    branch,
    coalesce(branch, 'central') as filter_branch
from funding
where received_on <= $as_of
