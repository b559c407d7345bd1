-- grain: one row per mentee waiting on $as_of in the branch filter
-- (ins_match_mentees: longest waiting first, then mentee_id, with the mentor
-- counts that explain an empty list), with its suggestions
-- (ins_match_suggestions) as a list in rank order, empty when it has none:
-- what `python -m analytics matches` prints, in one statement.
with listed as (
    select
        mentee_id,
        list(struct_pack(
            mentor_id, mentor_branch, score, rank, same_sector, sector, common_languages,
            preference_met, preferred_gender, same_branch
        ) order by rank) as suggestions
    from ins_match_suggestions
    group by mentee_id
)

select
    ins_match_mentees.*,
    coalesce(listed.suggestions, []) as suggestions
from ins_match_mentees
left join listed on listed.mentee_id = ins_match_mentees.mentee_id
order by ins_match_mentees.waiting_days desc, ins_match_mentees.mentee_id
