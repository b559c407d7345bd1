-- grain: one row per mentee who withdrew while waiting, by $as_of: decision =
-- eligible, withdrawn_on <= $as_of (mart_mentees reads a later one as empty),
-- and no duo matched on or before withdrawn_on; in the branch filter
-- ($branches, empty = all) by the mentee's branch. days_waited =
-- withdrawn_on - applied_on; month = the month of the withdrawal.
select
    mentee_id,
    branch,
    applied_on,
    withdrawn_on,
    date_trunc('month', withdrawn_on)::date as month,
    withdrawn_on - applied_on as days_waited
from mart_mentees
where decision = 'eligible'
    and withdrawn_on is not null
    and (first_matched_on is null or first_matched_on > withdrawn_on)
    and (len($branches) = 0 or list_contains($branches, branch))
order by withdrawn_on, mentee_id
