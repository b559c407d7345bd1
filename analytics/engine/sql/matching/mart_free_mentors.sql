-- grain: one row per mentor free on $as_of, exactly the mentors that the v2
-- handbook's free_trained_mentors counts: applied_on <= $as_of,
-- training_completed_on <= $as_of, left_on empty or > $as_of, and no duo open
-- on $as_of in any branch (matched_on <= $as_of and ended_on empty or
-- > $as_of; matched but not started is open). stg_mentors and stg_duos read
-- the data as they stood on $as_of (a later training or departure is empty).
-- The matching assistant's columns come from the mentors table as given:
-- former_sector (trimmed, lower-case in sector_key), gender, and languages
-- as a list of ISO 639-1 codes (empty list when the column is empty).
with open_duos as (
    select distinct mentor_id
    from stg_duos
    where matched_on <= $as_of
        and (ended_on is null or ended_on > $as_of)
)

select
    stg_mentors.mentor_id,
    stg_mentors.branch,
    stg_mentors.gender,
    stg_mentors.training_completed_on,
    mentors.former_sector,
    lower(trim(mentors.former_sector)) as sector_key,
    coalesce(string_split(mentors.languages, ';'), []) as language_list
from stg_mentors
join mentors on mentors.mentor_id = stg_mentors.mentor_id
where stg_mentors.training_completed_on is not null
    and stg_mentors.left_on is null
    and stg_mentors.mentor_id not in (select mentor_id from open_duos)
