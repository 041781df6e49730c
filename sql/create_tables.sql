-- The five star tables, created once and kept between runs: insert_tables.sql replaces their rows.
-- Keys are not declared: Redshift does not enforce them, so analyze.sql checks them instead.

-- songplays: one row per NextSong event.
-- Distributed and sorted on start_time, like time, so the join to time is local and time ranges scan few blocks.
create table if not exists songplays (
    songplay_id bigint not null,
    start_time timestamp,
    user_id integer,
    level varchar(16),
    song_id varchar(32),
    artist_id varchar(32),
    session_id integer,
    location varchar(1024),
    user_agent varchar(1024)
)
diststyle key
distkey (start_time)
sortkey (start_time);

-- users: one row per user id. Small: copied to every node (diststyle all), so joins to it never move data.
create table if not exists users (
    user_id integer not null,
    first_name varchar(256),
    last_name varchar(256),
    gender varchar(16),
    level varchar(16)
)
diststyle all
sortkey (user_id);

-- songs: one row per song id. Small next to songplays: copied to every node.
create table if not exists songs (
    song_id varchar(32) not null,
    title varchar(1024),
    artist_id varchar(32),
    year smallint,
    duration double precision
)
diststyle all
sortkey (song_id);

-- artists: one row per artist id. Small: copied to every node.
create table if not exists artists (
    artist_id varchar(32) not null,
    name varchar(1024),
    location varchar(1024),
    latitude double precision,
    longitude double precision
)
diststyle all
sortkey (artist_id);

-- time: one row per distinct songplays.start_time. Distributed like songplays, for a local join.
create table if not exists time (
    start_time timestamp not null,
    hour smallint,
    day smallint,
    week smallint,
    month smallint,
    year smallint,
    weekday smallint
)
diststyle key
distkey (start_time)
sortkey (start_time);

-- The bookkeeping of loads by day (sql/insert_tables.sql): which log file (by its day) each play came from, and
-- each user's latest event in each day's file, so that replacing a day recomputes only what that day touches.
-- songplay_days: one row per songplay.
create table if not exists songplay_days (
    songplay_id bigint not null,
    -- NULL for an event without ts in a full run (the checks then fail it)
    log_day date
)
diststyle key
distkey (songplay_id)
sortkey (log_day);

-- user_days: one row per user and log file (by its day): the user's latest event in that file.
create table if not exists user_days (
    -- NULL for an event without ts in a full run
    log_day date,
    user_id integer not null,
    first_name varchar(256),
    last_name varchar(256),
    gender varchar(16),
    level varchar(16),
    ts bigint,
    session_id integer,
    item_in_session integer
)
diststyle all
sortkey (user_id);

-- Work tables of one run of sql/insert_tables.sql (emptied at its start): the plays and users it replaces.
create table if not exists replaced_songplays (
    songplay_id bigint not null,
    start_time timestamp
);

create table if not exists replaced_users (
    user_id integer not null
);
