-- grain: one row per mentee waiting on d, for a single bucket (the query's
-- period and branch filter). Waiting and days_waiting as in
-- ins_waiting_mentees.sql; is_over_30_days: waited more than 30 days
-- (days_waiting > 30, the complement of the handbook's "matched within 30").
-- No names: staff pages join them on mentee_id.
select
    ins_waiting_mentees.mentee_id,
    ins_waiting_mentees.branch,
    ins_waiting_mentees.applied_on,
    stg_mentees.interviewed_on,
    ins_waiting_mentees.days_waiting,
    ins_waiting_mentees.days_waiting > 30 as is_over_30_days
from ins_waiting_mentees
join stg_mentees on stg_mentees.mentee_id = ins_waiting_mentees.mentee_id
order by ins_waiting_mentees.days_waiting desc, ins_waiting_mentees.mentee_id
