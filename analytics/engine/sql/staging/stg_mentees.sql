-- grain: one row per mentee known on the as-of date $as_of.
-- The mentees table as it stood on $as_of (handbook, "the data as they stood"):
-- an application after $as_of is ignored; an interview, withdrawal or decision
-- after it is read as empty. Adds whether the mentee breaks a programme rule
-- (an eligibility exception); the age at application in whole years comes
-- from fct_mentees. The first-match dates are passed on for mart_mentees,
-- which reads them as of $as_of: final_first_matched_on is the earliest
-- match in the whole data set, the answer only from first_match_known_from on.
select
    mentee_id,
    branch,
    applied_on,
    case when interviewed_on <= $as_of then interviewed_on end as interviewed_on,
    -- a decision is taken at the interview: unknown while the interview is in the future
    case when interviewed_on > $as_of then null else decision end as decision,
    case when withdrawn_on <= $as_of then withdrawn_on end as withdrawn_on,
    gender,
    country_of_origin,
    education_level,
    registered_jobseeker,
    age_at_application,
    (
        age_at_application not between $mentee_min_age and $mentee_max_age
        or list_contains($eu_country_codes, country_of_origin)
        or registered_jobseeker = false
    ) as is_eligibility_exception,
    first_matched_on as final_first_matched_on,
    first_match_known_from,
    first_known_from,
    has_interim_first_match
from fct_mentees
where applied_on <= $as_of
