-- The first rows of the load-error view for COPYs started since a statement was created, to explain a failed load.
-- result: load_errors
-- one row per rejected record of a Redshift Serverless COPY (sys_load_error_detail)
select
    trim(file_name) as file_name,
    line_number,
    trim(column_name) as column_name,
    error_code,
    trim(error_message) as error_reason,
    trim(raw_field_value) as raw_field_value
from sys_load_error_detail
where start_time >= {{since}}
order by start_time desc, line_number
limit 5;
