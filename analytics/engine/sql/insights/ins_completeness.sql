-- grain: one row per duo known on $as_of (in $branches, or any when empty) and
-- optional field the indicators use that the duo should have filled by
-- $as_of, with whether it is filled:
--   duos.staff_at_first_meeting   realized duos (first meeting on or before $as_of)
--   duos.coordinator_id           duos open on $as_of (a coordinator not yet started
--                                 on $as_of counts as empty, as in stg_duos)
--   outcomes.exit                 realized duos ended by $as_of: an exit outcome
--   outcomes.followup_3m / _6m / _12m   realized duos whose mark (end + 91, 182,
--                                 365 days) is on or before $as_of: a follow-up of the stage
with duos as (
    select
        mart_duos.duo_id,
        mart_duos.branch,
        mart_duos.is_realized,
        mart_duos.is_staff_at_first_meeting_recorded,
        mart_duos.coordinator_id,
        mart_duos.matched_on <= $as_of and mart_duos.ended_on is null as is_open,
        mart_duo_stages.ended_on,
        mart_duo_stages.exit_status,
        mart_duo_stages.followup_3m_status,
        mart_duo_stages.followup_6m_status,
        mart_duo_stages.followup_12m_status,
        mart_duo_stages.followup_3m_mark_on,
        mart_duo_stages.followup_6m_mark_on,
        mart_duo_stages.followup_12m_mark_on
    from mart_duos
    join mart_duo_stages on mart_duo_stages.duo_key = mart_duos.duo_key
    where len($branches) = 0 or list_contains($branches, mart_duos.branch)
)

select duo_id, branch, 'duos' as table_name, 'staff_at_first_meeting' as field,
       is_staff_at_first_meeting_recorded as is_filled
from duos where is_realized
union all
select duo_id, branch, 'duos', 'coordinator_id', coordinator_id is not null
from duos where is_open
union all
select duo_id, branch, 'outcomes', 'exit', exit_status is not null
from duos where is_realized and ended_on is not null
union all
select duo_id, branch, 'outcomes', 'followup_3m', followup_3m_status is not null
from duos where is_realized and followup_3m_mark_on <= $as_of
union all
select duo_id, branch, 'outcomes', 'followup_6m', followup_6m_status is not null
from duos where is_realized and followup_6m_mark_on <= $as_of
union all
select duo_id, branch, 'outcomes', 'followup_12m', followup_12m_status is not null
from duos where is_realized and followup_12m_mark_on <= $as_of
