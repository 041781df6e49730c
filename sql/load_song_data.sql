-- Reloads staging_songs from song_data (included by sql/load_staging.sql in a full run, and in a day run that
-- reloads the songs; any other day run reuses the songs already loaded).
copy staging_songs
from {{song_data}}
iam_role {{role_arn}}
region {{region}}
format as json 'auto'
maxerror 0
compupdate off
statupdate off;
