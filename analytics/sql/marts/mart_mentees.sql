-- grain: one row per mentee known on $as_of.
-- first_matched_on: the earliest matched_on among all the mentee's duos, in
-- any branch (a condition that only decides looks at all branches); empty
-- when the mentee has no duo yet.
with first_matches as (
    select mentee_id, min(matched_on) as first_matched_on
    from stg_duos
    group by mentee_id
)

select
    stg_mentees.mentee_id,
    stg_mentees.branch,
    stg_mentees.applied_on,
    stg_mentees.decision,
    stg_mentees.withdrawn_on,
    stg_mentees.gender,
    stg_mentees.education_level,
    stg_mentees.country_of_origin,
    stg_mentees.age_at_application,
    stg_mentees.is_eligibility_exception,
    first_matches.first_matched_on
from stg_mentees
left join first_matches on first_matches.mentee_id = stg_mentees.mentee_id
