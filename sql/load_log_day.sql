-- One day's log file, read through its manifest (exactly that file), its rows marked with the file's day
-- (included by sql/load_staging.sql once for each day of a day run that has a file).
copy staging_events (
    artist, auth, firstname, gender, iteminsession, lastname, length, level, location, method, page,
    registration, sessionid, song, status, ts, useragent, userid
)
from {{manifest}}
iam_role {{role_arn}}
region {{region}}
format as json {{log_json_format}}
manifest
maxerror 0
compupdate off
statupdate off;

update staging_events
set log_day = {{log_day}}
where log_day is null;
