-- grain: one row per (mentee waiting on $as_of in the branch filter, one of
-- its $top best free trained mentors). A mentee may be matched with a free
-- mentor (mart_free_mentors) of its own branch, or of any branch when $widen;
-- the filter ($branches, empty = all) keeps mentees by their own branch. Each
-- mentee's list stands on its own: a mentor may be suggested to several.
-- The rules, each a column a coordinator can read, and the score their
-- weights give:
--   same_sector       the mentor's former_sector is the mentee's sector_sought
--                     (trimmed, case ignored; false when either is empty)
--   common_languages  the ISO 639-1 codes both list (in the mentee's order)
--   preference_met    the mentee's preferred_mentor_gender is the mentor's gender
--   same_branch       the mentor is of the mentee's branch (always, unless $widen)
-- score = $w_sector * same_sector + $w_language * (any language in common)
--       + $w_preference * preference_met + $w_branch * (same_branch, when $widen):
-- the branch gives points only when the search is widened to every branch.
-- rank: 1 = best, by score (highest first) then mentor_id (as text).
-- Ordered as the matching meeting reads it: longest waiting first, then
-- mentee_id, then rank.
--
-- Set-based without forming every (mentee, mentor) pair: the rules read only a
-- mentor's branch, sector, gender and languages, so the free mentors are first
-- grouped into profiles of those (each with its mentor ids in order), each
-- mentee is scored against the profiles, only the score levels that can still
-- reach the mentee's $top are kept, and their first $top mentors each are
-- ranked. Same result as ranking every pair.
with profiles as (
    select
        branch,
        sector_key,
        former_sector,
        gender,
        language_list,
        list(mentor_id order by mentor_id) as mentor_ids,
        count(*) as mentors
    from mart_free_mentors
    group by branch, sector_key, former_sector, gender, language_list
),

scored as (
    select
        mart_waiting_mentees.mentee_id,
        mart_waiting_mentees.branch,
        mart_waiting_mentees.waiting_days,
        mart_waiting_mentees.language_list as mentee_languages,
        profiles.language_list as mentor_languages,
        profiles.branch as mentor_branch,
        profiles.former_sector as sector,
        profiles.mentor_ids,
        profiles.mentors,
        coalesce(mart_waiting_mentees.sector_key = profiles.sector_key, false) as same_sector,
        coalesce(mart_waiting_mentees.preferred_mentor_gender = profiles.gender, false) as preference_met,
        mart_waiting_mentees.preferred_mentor_gender as preferred_gender,
        profiles.branch = mart_waiting_mentees.branch as same_branch,
        $w_sector * coalesce(mart_waiting_mentees.sector_key = profiles.sector_key, false)::integer
            + $w_language * list_has_any(mart_waiting_mentees.language_list, profiles.language_list)::integer
            + $w_preference * coalesce(mart_waiting_mentees.preferred_mentor_gender = profiles.gender, false)::integer
            + $w_branch * ($widen and profiles.branch = mart_waiting_mentees.branch)::integer as score
    from mart_waiting_mentees
    -- an equality (a hash join): the branch, or one key for all when widened
    join profiles
        on case when $widen then '' else profiles.branch end
            = case when $widen then '' else mart_waiting_mentees.branch end
    where len($branches) = 0 or list_contains($branches, mart_waiting_mentees.branch)
),

levels as (
    select
        *,
        -- mentors scoring at least this profile's score, and exactly it
        sum(mentors) over (partition by mentee_id order by score desc
                           range between unbounded preceding and current row) as mentors_from_level,
        sum(mentors) over (partition by mentee_id, score) as mentors_at_level
    from scored
),

candidates as (
    select
        * exclude (mentor_ids, mentors, mentors_from_level, mentors_at_level),
        unnest(list_slice(mentor_ids, 1, $top)) as mentor_id
    from levels
    -- the better levels hold fewer than $top mentors: this level is needed
    where mentors_from_level - mentors_at_level < $top
),

ranked as (
    select
        *,
        row_number() over (partition by mentee_id order by score desc, mentor_id) as rank
    from candidates
    qualify rank <= $top
)

select
    mentee_id,
    branch,
    waiting_days,
    mentor_id,
    mentor_branch,
    score,
    rank,
    same_sector,
    sector,
    list_filter(mentee_languages, lambda code: list_contains(mentor_languages, code)) as common_languages,
    preference_met,
    preferred_gender,
    same_branch
from ranked
order by waiting_days desc, mentee_id, rank
