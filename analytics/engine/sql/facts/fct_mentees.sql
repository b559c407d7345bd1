-- grain: one row per mentee.
-- The as-of-independent facts of a mentee: age at application and the dates
-- that decide the mentee's first match on an as-of date A, which is the
-- earliest matched_on among the mentee's duos known on A (fct_duos):
--   first_matched_on        earliest matched_on of all the mentee's duos
--   first_match_known_from  from this day on, first_matched_on is the answer
--   first_known_from        before this day, no duo of the mentee is known
--   has_interim_first_match a later-matched duo became known before the
--                           earliest one (only when a mentor or the mentee
--                           applied after the match, which the import warns
--                           about): between the two days the answer is read
--                           from fct_duos (mart_mentees)
with matches as (
    select
        mentee_id,
        any_value(mentee_first_matched_on) as first_matched_on,
        any_value(mentee_first_match_known_from) as first_match_known_from,
        any_value(mentee_first_known_from) as first_known_from
    from fct_duos
    group by mentee_id
)

select
    mentees.mentee_id,
    mentees.branch,
    mentees.applied_on,
    mentees.interviewed_on,
    mentees.decision,
    mentees.withdrawn_on,
    mentees.gender,
    mentees.country_of_origin,
    mentees.education_level,
    mentees.registered_jobseeker,
    -- whole years: the year difference, minus one before the birthday
    year(mentees.applied_on) - year(mentees.birth_date)
        - case when strftime(mentees.applied_on, '%m%d') < strftime(mentees.birth_date, '%m%d') then 1 else 0 end
        as age_at_application,
    matches.first_matched_on,
    matches.first_match_known_from,
    matches.first_known_from,
    coalesce(matches.first_known_from < matches.first_match_known_from, false) as has_interim_first_match
from mentees
left join matches on matches.mentee_id = mentees.mentee_id
