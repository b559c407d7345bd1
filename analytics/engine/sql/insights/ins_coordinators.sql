-- grain: one row per coordinator for a single bucket: staff with role
-- coordinator in post on d (started_on <= d, left_on empty or > d) in the
-- branch filter by the staff member's branch, together with anyone named as
-- coordinator_id of a duo of the filter (by the duo's branch) open on d.
--   active_duos   duos of the filter active on d with this coordinator (the
--                 caseload the handbook's caseload_per_coordinator_fte counts)
--   open_duos     duos of the filter open on d (matched, not ended; what the
--                 at-risk list evaluates when d = $as_of)
with in_post as (
    select stg_staff.staff_id, stg_staff.branch, stg_staff.fte
    from buckets
    join stg_staff on stg_staff.branch = buckets.branch
    where stg_staff.role = 'coordinator'
        and stg_staff.started_on <= buckets.d
        and (stg_staff.left_on is null or stg_staff.left_on > buckets.d)
),

caseload as (
    select
        stg_duos.coordinator_id,
        count(*) filter (
            where stg_duos.first_meeting_on <= buckets.d
                and (stg_duos.ended_on is null or stg_duos.ended_on > buckets.d)
        ) as active_duos,
        count(*) filter (
            where stg_duos.matched_on <= buckets.d
                and (stg_duos.ended_on is null or stg_duos.ended_on > buckets.d)
        ) as open_duos
    from buckets
    join stg_duos on stg_duos.branch = buckets.branch
    where stg_duos.coordinator_id is not null
    group by stg_duos.coordinator_id
)

select
    stg_staff.staff_id as coordinator_id,
    stg_staff.branch,
    stg_staff.role,
    stg_staff.fte,
    in_post.staff_id is not null as is_in_post,
    coalesce(caseload.active_duos, 0) as active_duos,
    coalesce(caseload.open_duos, 0) as open_duos
from stg_staff
left join in_post on in_post.staff_id = stg_staff.staff_id
left join caseload on caseload.coordinator_id = stg_staff.staff_id
where in_post.staff_id is not null or coalesce(caseload.open_duos, 0) > 0
order by stg_staff.staff_id
