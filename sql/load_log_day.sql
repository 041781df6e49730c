-- After the COPY of one day's file (sql/load_log_data.sql through its manifest): its rows marked with the
-- file's day (included by sql/load_staging.sql once for each day of a day run that has a file).
update staging_events
set log_day = {{log_day}}
where log_day is null;
