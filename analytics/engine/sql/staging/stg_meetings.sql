-- grain: one row per meeting held by $as_of, of a duo known on $as_of.
select meetings.meeting_id, meetings.duo_id, meetings.met_on, meetings.hours, meetings.mode
from meetings
semi join stg_duos on stg_duos.duo_id = meetings.duo_id
where meetings.met_on <= $as_of
