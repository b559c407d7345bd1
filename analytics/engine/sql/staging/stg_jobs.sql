-- grain: one row per spell in work (the optional jobs table) known on $as_of.
-- A spell that started after $as_of is ignored, and so is every spell of a
-- mentee not known on $as_of; an end after $as_of, or empty, is read as
-- $as_of (the mentee is in work up to that day as far as is known).
select
    jobs.job_id,
    jobs.mentee_id,
    jobs.started_on,
    case when jobs.ended_on is null or jobs.ended_on > $as_of then $as_of::date else jobs.ended_on end
        as ended_on,
    jobs.contract,
    jobs.hours_per_week
from jobs
semi join stg_mentees on stg_mentees.mentee_id = jobs.mentee_id
where jobs.started_on <= $as_of
