-- grain: one row for the whole data set: whether each optional table was
-- present in the import (dataset_tables). An absent optional table makes every
-- figure that reads it null (handbook, conventions); a table missing from
-- dataset_tables counts as absent.
select
    coalesce(bool_or(is_present) filter (where table_name = 'staff'), false) as has_staff,
    coalesce(bool_or(is_present) filter (where table_name = 'meetings'), false) as has_meetings,
    coalesce(bool_or(is_present) filter (where table_name = 'check_ins'), false) as has_check_ins,
    coalesce(bool_or(is_present) filter (where table_name = 'outcomes'), false) as has_outcomes,
    coalesce(bool_or(is_present) filter (where table_name = 'costs'), false) as has_costs,
    coalesce(bool_or(is_present) filter (where table_name = 'funding'), false) as has_funding,
    coalesce(bool_or(is_present) filter (where table_name = 'jobs'), false) as has_jobs
from dataset_tables
