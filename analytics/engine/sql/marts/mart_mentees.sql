-- grain: one row per mentee known on $as_of.
-- first_matched_on: the earliest matched_on among all the mentee's duos known
-- on $as_of, in any branch (a condition that only decides looks at all
-- branches); empty when the mentee has no known duo yet. fct_mentees gives it
-- without a scan of the duos, except between the two days where a
-- later-matched duo was known first (has_interim_first_match, rare).
with interim_first_matches as (
    select mentee_id, min(matched_on) as first_matched_on
    from stg_duos
    semi join stg_mentees
        on stg_mentees.mentee_id = stg_duos.mentee_id
        and stg_mentees.has_interim_first_match
        and stg_mentees.first_match_known_from > $as_of
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
    case
        when stg_mentees.first_match_known_from <= $as_of then stg_mentees.final_first_matched_on
        when stg_mentees.has_interim_first_match then interim_first_matches.first_matched_on
    end as first_matched_on
from stg_mentees
left join interim_first_matches on interim_first_matches.mentee_id = stg_mentees.mentee_id
