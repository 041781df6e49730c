-- Rebuilds staging_songs from song_data (included by sql/load_staging.sql in a full run, and in a day run that
-- reloads the songs; any other day run reuses the songs already loaded).
-- staging_songs: one row per song record of song_data.
drop table if exists staging_songs;
create table staging_songs (
    num_songs integer,
    artist_id varchar(32),
    artist_latitude double precision,
    artist_longitude double precision,
    artist_location varchar(1024),
    artist_name varchar(1024),
    song_id varchar(32),
    title varchar(1024),
    duration double precision,
    year smallint
)
diststyle key
distkey (title);

copy staging_songs
from {{song_data}}
iam_role {{role_arn}}
region {{region}}
format as json 'auto'
maxerror 0
compupdate off
statupdate off;
