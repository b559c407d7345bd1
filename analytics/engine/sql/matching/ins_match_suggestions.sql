-- grain: one row per (mentee waiting on $as_of in the branch filter, one of
-- its $top best free trained mentors), from ins_match_pairs (rules, score,
-- rank). Each mentee's list stands on its own: a mentor may be suggested to
-- several mentees. Ordered as the matching meeting reads it: longest waiting
-- first, then mentee_id, then rank.
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
    common_languages,
    preference_met,
    preferred_gender,
    same_branch
from ins_match_pairs
where rank <= $top
order by waiting_days desc, mentee_id, rank
