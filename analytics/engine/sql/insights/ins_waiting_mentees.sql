-- grain: one row per (bucket, mentee waiting on the bucket's d), the mentee in
-- the bucket's branch filter by its own branch (see buckets.sql).
-- Waiting is the handbook's mentees_waiting: decision = eligible,
-- applied_on <= d, no duo (in any branch) matched on or before d, and not
-- withdrawn on d (withdrawn_on empty or > d).
-- days_waiting = d - applied_on (the wait as the applicant lives it, counted
-- from the application like days_to_match, not from the interview).
select
    buckets.bucket_id,
    buckets.d,
    mart_mentees.mentee_id,
    mart_mentees.branch,
    mart_mentees.applied_on,
    buckets.d - mart_mentees.applied_on as days_waiting
from buckets
join mart_mentees on mart_mentees.branch = buckets.branch
where mart_mentees.decision = 'eligible'
    and mart_mentees.applied_on <= buckets.d
    and (mart_mentees.first_matched_on is null or mart_mentees.first_matched_on > buckets.d)
    and (mart_mentees.withdrawn_on is null or mart_mentees.withdrawn_on > buckets.d)
