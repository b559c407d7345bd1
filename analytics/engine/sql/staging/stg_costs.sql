-- grain: one row per cost row whose month had begun on $as_of
-- (month is stored as its first day).
select month, branch, category, amount_eur
from costs
where month <= $as_of
