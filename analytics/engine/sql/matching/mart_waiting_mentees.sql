-- grain: one row per mentee waiting on $as_of, exactly the mentees that the
-- handbook's mentees_waiting counts (on d = $as_of): decision = eligible,
-- applied_on <= $as_of, no duo (in any branch) matched on or before $as_of,
-- and withdrawn_on empty or > $as_of (mart_mentees reads the data as they
-- stood on $as_of). waiting_days = $as_of - applied_on (the wait counted from
-- the application, as ins_waiting_mentees does). The matching assistant's
-- columns come from the mentees table as given: sector_sought (trimmed,
-- lower-case in sector_key), languages as a list of ISO 639-1 codes (empty
-- list when empty) and preferred_mentor_gender.
select
    mart_mentees.mentee_id,
    mart_mentees.branch,
    mart_mentees.applied_on,
    $as_of - mart_mentees.applied_on as waiting_days,
    mentees.sector_sought,
    lower(trim(mentees.sector_sought)) as sector_key,
    coalesce(string_split(mentees.languages, ';'), []) as language_list,
    mentees.preferred_mentor_gender
from mart_mentees
join mentees on mentees.mentee_id = mart_mentees.mentee_id
where mart_mentees.decision = 'eligible'
    and mart_mentees.applied_on <= $as_of
    and (mart_mentees.first_matched_on is null or mart_mentees.first_matched_on > $as_of)
    and (mart_mentees.withdrawn_on is null or mart_mentees.withdrawn_on > $as_of)
