-- Rebuilds the staging tables from S3: staging_events from every log file (a full run) or from the run's days,
-- staging_songs from song_data unless a day run reuses the songs already loaded. The step runs as one
-- transaction: when a COPY fails, the drops roll back too and the previous staging tables stay as they were.

-- staging_events: one row per event line of log_data, every page. Columns are the JSON keys, lower-cased.
-- Distributed on song like staging_songs on title, so matching plays to songs joins on each node.
drop table if exists staging_events;
create table staging_events (
    artist varchar(1024),
    auth varchar(32),
    firstname varchar(256),
    gender varchar(16),
    iteminsession integer,
    lastname varchar(256),
    length double precision,
    level varchar(16),
    location varchar(1024),
    method varchar(16),
    page varchar(64),
    registration double precision,
    sessionid integer,
    song varchar(1024),
    status smallint,
    ts bigint,
    useragent varchar(1024),
    userid varchar(32),
    -- the day of the log file the event came from (a day run); NULL in a full run, whose file days are the
    -- events' own (sql/insert_tables.sql)
    log_day date
)
diststyle key
distkey (song);

{{load_log_data}}

{{drop_staging_songs}}
-- staging_songs: one row per song record of song_data.
create table if not exists staging_songs (
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

{{load_song_data}}
