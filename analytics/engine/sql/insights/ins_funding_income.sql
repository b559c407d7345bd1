-- grain: one row per group of donors of the funding received by $as_of in the
-- calendar years in which the funders in $funders gave (ins_funding_grants):
-- `yours` (the rows of those funders), then the other donors by funder_type.
--   donors      distinct funders in the group
--   amount_eur  sum of amount_eur of its rows
-- No funder name leaves this model.
with years as (
    select distinct year(received_on) as year from ins_funding_grants
)

select
    case when funding.funder in (select unnest($funders)) then 'yours' else 'others' end as part,
    case when funding.funder in (select unnest($funders)) then '' else funding.funder_type end as funder_type,
    count(distinct funding.funder) as donors,
    sum(funding.amount_eur) as amount_eur
from funding
join years on years.year = year(funding.received_on)
where funding.received_on <= $as_of
group by all
order by part desc, funder_type
