-- grain: one row per (mentee waiting on $as_of in the branch filter, free
-- trained mentor the mentee may be matched with): a mentor of the mentee's
-- branch, or of any branch when $widen. The filter ($branches, empty = all)
-- keeps mentees by their own branch. The rules, each a column a coordinator
-- can read, and the score their weights give:
--   same_sector       the mentor's former_sector is the mentee's sector_sought
--                     (trimmed, case ignored; false when either is empty)
--   common_languages  the ISO 639-1 codes both list (in the mentee's order)
--   preference_met    the mentee's preferred_mentor_gender is the mentor's gender
--   same_branch       the mentor is of the mentee's branch (always, unless $widen)
-- score = $w_sector * same_sector + $w_language * (any language in common)
--       + $w_preference * preference_met + $w_branch * (same_branch, when $widen):
-- the branch gives points only when the search is widened to every branch.
-- rank: 1 = best, by score (highest first) then mentor_id (as text).
with pairs as (
    select
        mart_waiting_mentees.mentee_id,
        mart_waiting_mentees.branch,
        mart_waiting_mentees.waiting_days,
        mart_free_mentors.mentor_id,
        mart_free_mentors.branch as mentor_branch,
        coalesce(mart_waiting_mentees.sector_key = mart_free_mentors.sector_key, false) as same_sector,
        mart_free_mentors.former_sector as sector,
        list_filter(mart_waiting_mentees.language_list,
                    lambda code: list_contains(mart_free_mentors.language_list, code)) as common_languages,
        coalesce(mart_waiting_mentees.preferred_mentor_gender = mart_free_mentors.gender, false)
            as preference_met,
        mart_waiting_mentees.preferred_mentor_gender as preferred_gender,
        mart_free_mentors.branch = mart_waiting_mentees.branch as same_branch
    from mart_waiting_mentees
    join mart_free_mentors
        on $widen or mart_free_mentors.branch = mart_waiting_mentees.branch
    where len($branches) = 0 or list_contains($branches, mart_waiting_mentees.branch)
),

scored as (
    select
        *,
        $w_sector * same_sector::integer
            + $w_language * (len(common_languages) > 0)::integer
            + $w_preference * preference_met::integer
            + $w_branch * ($widen and same_branch)::integer as score
    from pairs
)

select
    *,
    row_number() over (partition by mentee_id order by score desc, mentor_id) as rank
from scored
