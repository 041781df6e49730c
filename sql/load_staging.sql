-- Rebuilds both staging tables from S3. The step runs as one transaction: when a COPY fails,
-- the drops roll back too and the previous staging tables stay as they were.

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

{{load_song_data}}
