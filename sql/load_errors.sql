-- The first rows of the load-error table for COPYs started since a statement was created, to explain a failed load.
-- result: load_errors
-- one row per rejected record of a provisioned cluster's COPY (stl_load_errors)
select
    trim(filename) as file_name,
    line_number,
    trim(colname) as column_name,
    err_code as error_code,
    trim(err_reason) as error_reason,
    trim(raw_field_value) as raw_field_value
from stl_load_errors
where starttime >= {{since}}
order by starttime desc, line_number
limit 5;
