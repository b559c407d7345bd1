-- grain: one row per (bucket, branch the bucket's filter admits), `central`
-- included when the filter admits it (an empty filter, or one naming it).
-- Per branch, with the handbook's definitions restricted to that branch:
--   direct_costs_eur       cost rows of the branch whose month begins in the bucket
--   duos_realized          realized duos with first_meeting_on in the bucket
--   beneficiaries_served   distinct mentees of realized duos with
--                          first_meeting_on <= period_to and ended_on empty or
--                          >= period_from
--   positive_exits         realized duos ended in the bucket with a positive
--                          exit outcome
-- With $allocate_central, and when the filter admits `central`, the central
-- costs of a bucket are shared among the branches in proportion to their
-- duos_realized in that bucket, counted over every branch (a branch's share
-- does not depend on the filter; the shares of branches outside the filter
-- are left out). The `central` row is then dropped. When no duo at all was
-- realized in the bucket there is nothing to share by: central stays
-- unallocated, as its own row.
-- total_costs_eur = direct_costs_eur + allocated_central_eur; the cost ratios
-- divide it by duos_realized, beneficiaries_served, positive_exits (null on 0).
-- Cost figures are null when the costs table is absent; positive exits and
-- cost per positive exit when the outcomes table is absent.
with bucket_list as (
    select distinct bucket_id, period_from, period_to from buckets
),

direct_costs as (
    select buckets.bucket_id, buckets.branch, sum(stg_costs.amount_eur) as direct_costs_eur
    from buckets
    join stg_costs
        on stg_costs.branch = buckets.branch
        and stg_costs.month between buckets.period_from and buckets.period_to
    group by buckets.bucket_id, buckets.branch
),

central_costs as (
    select bucket_list.bucket_id, sum(stg_costs.amount_eur) as central_costs_eur
    from bucket_list
    join stg_costs
        on stg_costs.branch = 'central'
        and stg_costs.month between bucket_list.period_from and bucket_list.period_to
    group by bucket_list.bucket_id
),

-- the allocation key: duos realized in the bucket, per branch, in every branch
key_duos as (
    select bucket_list.bucket_id, stg_duos.branch, count(*) as duos_realized
    from bucket_list
    join stg_duos
        on stg_duos.first_meeting_on between bucket_list.period_from and bucket_list.period_to
    group by bucket_list.bucket_id, stg_duos.branch
),

key_totals as (
    select bucket_id, sum(duos_realized) as duos_realized
    from key_duos
    group by bucket_id
),

allocated_buckets as (
    -- buckets whose central costs are shared out
    select distinct buckets.bucket_id
    from buckets
    join key_totals on key_totals.bucket_id = buckets.bucket_id
    where $allocate_central and buckets.branch = 'central' and key_totals.duos_realized > 0
),

allocation as (
    select
        key_duos.bucket_id,
        key_duos.branch,
        coalesce(central_costs.central_costs_eur, 0) * key_duos.duos_realized / key_totals.duos_realized
            as allocated_central_eur
    from key_duos
    join key_totals on key_totals.bucket_id = key_duos.bucket_id
    semi join allocated_buckets on allocated_buckets.bucket_id = key_duos.bucket_id
    left join central_costs on central_costs.bucket_id = key_duos.bucket_id
),

duo_figures as (
    select
        buckets.bucket_id,
        buckets.branch,
        count(*) filter (
            where stg_duos.first_meeting_on between buckets.period_from and buckets.period_to
        ) as duos_realized,
        count(distinct stg_duos.mentee_id) filter (
            where stg_duos.first_meeting_on <= buckets.period_to
                and (stg_duos.ended_on is null or stg_duos.ended_on >= buckets.period_from)
        ) as beneficiaries_served,
        count(*) filter (
            where stg_duos.first_meeting_on is not null and ins_duo_outcomes.is_positive_exit
                and stg_duos.ended_on between buckets.period_from and buckets.period_to
        ) as positive_exits
    from buckets
    -- the realized duos running at some point of the bucket (stg_duos reads a first meeting
    -- after $as_of as empty): every duo the three figures count, and no other, so a long
    -- series does not pair every bucket with every duo
    join stg_duos
        on stg_duos.branch = buckets.branch
        and stg_duos.first_meeting_on <= buckets.period_to
        and (stg_duos.ended_on is null or stg_duos.ended_on >= buckets.period_from)
    left join ins_duo_outcomes on ins_duo_outcomes.duo_id = stg_duos.duo_id
    group by buckets.bucket_id, buckets.branch
),

branch_rows as (
    select
        buckets.bucket_id,
        buckets.period_from,
        buckets.period_to,
        buckets.branch,
        coalesce(direct_costs.direct_costs_eur, 0) as direct_costs_eur,
        case when buckets.branch = 'central' then 0 else coalesce(allocation.allocated_central_eur, 0) end
            as allocated_central_eur,
        coalesce(duo_figures.duos_realized, 0) as duos_realized,
        coalesce(duo_figures.beneficiaries_served, 0) as beneficiaries_served,
        coalesce(duo_figures.positive_exits, 0) as positive_exits
    from buckets
    left join direct_costs
        on direct_costs.bucket_id = buckets.bucket_id and direct_costs.branch = buckets.branch
    left join allocation
        on allocation.bucket_id = buckets.bucket_id and allocation.branch = buckets.branch
    left join duo_figures
        on duo_figures.bucket_id = buckets.bucket_id and duo_figures.branch = buckets.branch
    where not (
        buckets.branch = 'central'
        and buckets.bucket_id in (select bucket_id from allocated_buckets)
    )
)

select
    branch_rows.bucket_id,
    branch_rows.period_from,
    branch_rows.period_to,
    branch_rows.branch,
    case when stg_presence.has_costs then branch_rows.direct_costs_eur end as direct_costs_eur,
    case when stg_presence.has_costs then branch_rows.allocated_central_eur end as allocated_central_eur,
    case when stg_presence.has_costs then branch_rows.direct_costs_eur + branch_rows.allocated_central_eur end
        as total_costs_eur,
    branch_rows.duos_realized,
    branch_rows.beneficiaries_served,
    case when stg_presence.has_outcomes then branch_rows.positive_exits end as positive_exits,
    case when stg_presence.has_costs
        then (branch_rows.direct_costs_eur + branch_rows.allocated_central_eur) / nullif(branch_rows.beneficiaries_served, 0)
    end as cost_per_beneficiary_eur,
    case when stg_presence.has_costs
        then (branch_rows.direct_costs_eur + branch_rows.allocated_central_eur) / nullif(branch_rows.duos_realized, 0)
    end as cost_per_duo_eur,
    case when stg_presence.has_costs and stg_presence.has_outcomes
        then (branch_rows.direct_costs_eur + branch_rows.allocated_central_eur) / nullif(branch_rows.positive_exits, 0)
    end as cost_per_positive_exit_eur
from branch_rows
cross join stg_presence
order by branch_rows.bucket_id, branch_rows.branch
