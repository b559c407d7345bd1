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
-- grouped into profiles of those (each with its first $top mentor ids in
-- order), each mentee is scored against the profiles (narrow rows), only the
-- score levels that can still reach the mentee's $top are kept, and their
-- profiles' first mentors are ranked; the rules' columns are added to the
-- $top kept. Same result as ranking every pair (tests/analytics/engine/
-- test_matching.py checks it).
with profiles as (
    select
        row_number() over (order by branch, sector_key, former_sector, gender, language_list) as profile_id,
        *
    from (
        select
            branch,
            sector_key,
            former_sector,
            gender,
            language_list,
            list_slice(list(mentor_id order by mentor_id), 1, $top) as first_mentors,
            count(*) as mentors
        from mart_free_mentors
        group by branch, sector_key, former_sector, gender, language_list
    )
),

mentees as (
    select *
    from mart_waiting_mentees
    where len($branches) = 0 or list_contains($branches, branch)
),

scored as (
    select
        mentees.mentee_id,
        profiles.profile_id,
        profiles.mentors,
        $w_sector * coalesce(mentees.sector_key = profiles.sector_key, false)::integer
            + $w_language * list_has_any(mentees.language_list, profiles.language_list)::integer
            + $w_preference * coalesce(mentees.preferred_mentor_gender = profiles.gender, false)::integer
            + $w_branch * ($widen and profiles.branch = mentees.branch)::integer as score
    from mentees
    -- an equality (a hash join): the branch, or one key for all when widened
    join profiles
        on case when $widen then '' else profiles.branch end
            = case when $widen then '' else mentees.branch end
),

levels as (
    select mentee_id, score, sum(mentors) as mentors
    from scored
    group by mentee_id, score
),

needed_levels as (
    -- the better levels hold fewer than $top mentors: this level is needed
    select mentee_id, score
    from levels
    qualify coalesce(sum(mentors) over (partition by mentee_id order by score desc
                                        rows between unbounded preceding and 1 preceding), 0) < $top
),

candidates as (
    select
        scored.mentee_id,
        scored.profile_id,
        scored.score,
        unnest(profiles.first_mentors) as mentor_id
    from scored
    semi join needed_levels
        on needed_levels.mentee_id = scored.mentee_id and needed_levels.score = scored.score
    join profiles on profiles.profile_id = scored.profile_id
),

best_of_level as (
    -- the $top smallest mentor ids of each needed level (a bounded heap, not a sort)
    select mentee_id, score, unnest(min(struct_pack(mentor_id := mentor_id, profile_id := profile_id), $top))
        as best
    from candidates
    group by mentee_id, score
),

ranked as (
    select mentee_id, score, best.mentor_id as mentor_id, best.profile_id as profile_id
    from best_of_level
    qualify row_number() over (partition by mentee_id order by score desc, best.mentor_id) <= $top
)

select
    mentees.mentee_id,
    mentees.branch,
    mentees.waiting_days,
    ranked.mentor_id,
    profiles.branch as mentor_branch,
    ranked.score,
    row_number() over (partition by ranked.mentee_id order by ranked.score desc, ranked.mentor_id) as rank,
    coalesce(mentees.sector_key = profiles.sector_key, false) as same_sector,
    profiles.former_sector as sector,
    list_filter(mentees.language_list, lambda code: list_contains(profiles.language_list, code))
        as common_languages,
    coalesce(mentees.preferred_mentor_gender = profiles.gender, false) as preference_met,
    mentees.preferred_mentor_gender as preferred_gender,
    profiles.branch = mentees.branch as same_branch
from ranked
join mentees on mentees.mentee_id = ranked.mentee_id
join profiles on profiles.profile_id = ranked.profile_id
order by mentees.waiting_days desc, mentees.mentee_id, rank
