-- The events of a full run (every file under log_data), or of one day of a day run (its file, read through its
-- manifest: FROM the manifest, then MANIFEST); included by sql/load_staging.sql.
copy staging_events (
    artist, auth, firstname, gender, iteminsession, lastname, length, level, location, method, page,
    registration, sessionid, song, status, ts, useragent, userid
)
from {{log_from}}
iam_role {{role_arn}}
region {{region}}
format as json {{log_json_format}}{{log_manifest}}
maxerror 0
compupdate off
statupdate off;
