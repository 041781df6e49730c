-- A full run's events: every file under log_data (included by sql/load_staging.sql).
copy staging_events (
    artist, auth, firstname, gender, iteminsession, lastname, length, level, location, method, page,
    registration, sessionid, song, status, ts, useragent, userid
)
from {{log_data}}
iam_role {{role_arn}}
region {{region}}
format as json {{log_json_format}}
maxerror 0
compupdate off
statupdate off;
