-- Replaces the rows of the five star tables from staging. The step runs as one transaction (DELETE, not
-- TRUNCATE, which would commit): a reader sees the previous complete warehouse or the new one, never a mix.
-- It checks before it commits: an event value the star tables cannot hold stops it before any table changes,
-- and a build that fails a data quality check is rolled back. Both RAISE an error that says what and where,
-- from a stored procedure: Redshift runs procedural code only there ("Supported PL/pgSQL statements"), and an
-- error in a procedure called inside a transaction rolls the whole transaction back ("Managing transactions").
-- (A failing cast would not do: on the compute nodes Redshift reports "Invalid digit, Value ...", not the text.)

-- Refuses the values the transform cannot convert, naming the value and its event (staging keeps the raw text:
-- userid is varchar, as COPY loads any JSON string into it). The first offending event by ts is named.
create or replace procedure sp_assert_convertible_events()
as $$
declare
    bad record;
begin
    select into bad
        userid,
        ts,
        sessionid,
        iteminsession,
        count(*) over () as events
    from staging_events
    where userid <> ''
        -- at most 9 digits (TRANSLATE drops them: docs, "TRANSLATE function") is always an integer: only the
        -- other ids meet the regular expression, which cost seconds when every event met it
        and not (length(userid) <= 9 and translate(userid, '0123456789', '') = '')
        and not (
            case
                when userid ~ '^-?[0-9]{1,10}$' then cast(userid as bigint) between -2147483648 and 2147483647
                else false
            end
        )
    order by ts, sessionid, iteminsession
    limit 1;
    if found then
        raise exception 'Invalid userId in log_data: "%" is neither "" nor an integer, in the event with ts %, sessionId %, itemInSession % (events with an invalid userId: %); the star tables are unchanged',
            bad.userid, bad.ts, bad.sessionid, bad.iteminsession, bad.events;
    end if;

    -- start_time is ts as a timestamp: epoch milliseconds from the year 1 to the year 9999.
    select into bad
        userid,
        ts,
        sessionid,
        iteminsession,
        count(*) over () as events
    from staging_events
    where page = 'NextSong'
        and ts not between -62135596800000 and 253402300799999
    order by ts, sessionid, iteminsession
    limit 1;
    if found then
        raise exception 'Invalid ts in log_data: % is not epoch milliseconds from the year 1 to 9999, in the NextSong event of userId "%" with sessionId %, itemInSession % (NextSong events with an invalid ts: %); the star tables are unchanged',
            bad.ts, bad.userid, bad.sessionid, bad.iteminsession, bad.events;
    end if;
end;
$$ language plpgsql;

call sp_assert_convertible_events();

-- A day run that reuses the songs needs songs loaded before ({{songs_reused}}: true in such a run).
create or replace procedure sp_assert_songs_loaded()
as $$
begin
    if {{songs_reused}} and not exists (select 1 from staging_songs) then
        raise exception 'No songs are loaded (staging_songs is empty): run a full load first, or give "reloadSongs": true with the days; the star tables are unchanged';
    end if;
end;
$$ language plpgsql;

call sp_assert_songs_loaded();

-- The log files this run replaces, by day ({{replaced_days}}: every day in a full run, the run's days in a day
-- run, a day without a file included) and the events that replace them: staging_events, each event from the
-- file of its log_day (a day run) or, in a full run, of its own UTC date. songplay_days and user_days remember
-- where each play and each user's latest event came from, so that only what the replaced days touch changes.

-- Each statement below that narrows by a subquery keeps its guards inside one IN (...union...), never as an OR
-- beside it: PostgreSQL (the local warehouse) runs an IN or NOT EXISTS under an OR once per row, which made a
-- day run over a million plays take minutes. The one OR beside an IN (time's start times) is with the constant
-- full_run, which PostgreSQL folds away before it plans.

-- The plays replaced: those of the replaced days' files, and any play of an event loaded again (an event a full
-- run filed under its own date that a day run finds in another day's file).
delete from replaced_songplays;

insert into replaced_songplays (
    songplay_id,
    start_time
)
select
    songplays.songplay_id,
    songplays.start_time
from songplays
where songplays.songplay_id in (
    select songplay_id from songplay_days where {{replaced_days}}
    union
    select {{songplay_id}} from staging_events where page = 'NextSong'
    union
    -- a full run also replaces plays an earlier version loaded without their day
    select songplay_id from songplays where {{full_run}}
);

delete from songplays
where songplay_id in (select songplay_id from replaced_songplays);

delete from songplay_days
where songplay_id in (
    select songplay_id from songplay_days where {{replaced_days}}
    union
    select songplay_id from replaced_songplays
);

-- songplays: one row per NextSong event.
insert into songplays (
    songplay_id,
    start_time,
    user_id,
    level,
    song_id,
    artist_id,
    session_id,
    location,
    user_agent
)
with

next_song_events as (
    select * from staging_events
    where page = 'NextSong'
),

plays as (
    -- songplay_id is a function of the event alone ({{songplay_id}}: the first 52 bits of the md5 of its
    -- ts, userId, sessionId and itemInSession), so a play has the same id whichever days are loaded, in any order
    select
        {{songplay_id}} as songplay_id,
        {{start_time}} as start_time,
        userid,
        level,
        song,
        artist,
        length,
        sessionid,
        location,
        useragent
    from next_song_events
),

song_matches as (
    -- same title and artist name (case-sensitive), duration within 1 second; the lowest song_id ranks first
    select
        plays.songplay_id,
        staging_songs.song_id,
        staging_songs.artist_id,
        row_number() over (
            partition by plays.songplay_id
            order by staging_songs.song_id, staging_songs.artist_id
        ) as match_rank
    from plays
    join staging_songs
        on staging_songs.title = plays.song
        and staging_songs.artist_name = plays.artist
        and abs(staging_songs.duration - plays.length) <= 1
)

select
    plays.songplay_id,
    plays.start_time,
    cast(nullif(plays.userid, '') as integer) as user_id,
    plays.level,
    song_matches.song_id,
    song_matches.artist_id,
    plays.sessionid as session_id,
    plays.location,
    plays.useragent as user_agent
from plays
left join song_matches
    on song_matches.songplay_id = plays.songplay_id
    and song_matches.match_rank = 1;

-- songplay_days: one row per songplay, the day of the file it came from. In a full run every play is new, and
-- its file's day is its start time's date (as log_day has it): read from songplays, not computed again from
-- staging (a second at a million plays). A day run reads the day of each event's file from staging.
insert into songplay_days (
    songplay_id,
    log_day
)
select
    songplay_id,
    cast(start_time as date) as log_day
from songplays
where {{full_run}};

insert into songplay_days (
    songplay_id,
    log_day
)
select
    {{songplay_id}} as songplay_id,
    {{log_day}} as log_day
from staging_events
where page = 'NextSong'
    and not {{full_run}};

-- users: the users of the replaced days' files and of the new events are recomputed.
delete from replaced_users;

insert into replaced_users (user_id)
select user_id from user_days where {{replaced_days}}
union
select cast(userid as integer) from staging_events where userid <> '';

delete from user_days
where {{replaced_days}};

-- user_days: one row per user and log file (by its day), as of the user's latest event in that file.
insert into user_days (
    log_day,
    user_id,
    first_name,
    last_name,
    gender,
    level,
    ts,
    session_id,
    item_in_session
)
with

user_events as (
    select
        {{log_day}} as log_day,
        cast(userid as integer) as user_id,
        firstname,
        lastname,
        gender,
        level,
        ts,
        sessionid,
        iteminsession
    from staging_events
    where userid <> ''
),

ranked_events as (
    select
        user_events.*,
        row_number() over (
            partition by log_day, user_id
            order by ts desc, sessionid desc, iteminsession desc, level, firstname, lastname, gender
        ) as recency_rank
    from user_events
)

select
    log_day,
    user_id,
    firstname,
    lastname,
    gender,
    level,
    ts,
    sessionid,
    iteminsession
from ranked_events
where recency_rank = 1;

-- users: one row per non-empty userId of any event, as of that user's most recent event by ts over every
-- loaded day (the latest of the user's latest event in each day's file).
delete from users
where user_id in (
    select user_id from replaced_users
    union
    select user_id from users where {{full_run}}
);

insert into users (
    user_id,
    first_name,
    last_name,
    gender,
    level
)
with

ranked_days as (
    select
        user_days.*,
        row_number() over (
            partition by user_id
            order by ts desc, session_id desc, item_in_session desc, level, first_name, last_name, gender
        ) as recency_rank
    from user_days
    where user_id in (select user_id from replaced_users)
)

select
    user_id,
    first_name,
    last_name,
    gender,
    level
from ranked_days
where recency_rank = 1;

-- songs: one row per song_id.
delete from songs;

insert into songs (
    song_id,
    title,
    artist_id,
    year,
    duration
)
with

ranked_records as (
    select
        song_id,
        title,
        artist_id,
        year,
        duration,
        row_number() over (
            partition by song_id
            order by title, artist_id, year, duration
        ) as record_rank
    from staging_songs
    where song_id is not null
)

select
    song_id,
    title,
    artist_id,
    year,
    duration
from ranked_records
where record_rank = 1;

-- artists: one row per artist_id, from the artist's most complete song record:
-- a non-empty location first, then coordinates present, ties to the lowest song_id.
delete from artists;

insert into artists (
    artist_id,
    name,
    location,
    latitude,
    longitude
)
with

ranked_records as (
    select
        artist_id,
        artist_name,
        artist_location,
        artist_latitude,
        artist_longitude,
        row_number() over (
            partition by artist_id
            order by
                case when artist_location <> '' then 0 else 1 end,
                case when artist_latitude is not null and artist_longitude is not null then 0 else 1 end,
                song_id,
                artist_name,
                artist_location
        ) as completeness_rank
    from staging_songs
    where artist_id is not null
)

select
    artist_id,
    artist_name as name,
    artist_location as location,
    artist_latitude as latitude,
    artist_longitude as longitude
from ranked_records
where completeness_rank = 1;

-- time: one row per distinct songplays.start_time; weekday 0 is Sunday. The start times of the replaced plays
-- that no play has any more go; the new plays' start times come.
delete from time
where start_time in (
    select start_time from time where {{full_run}}
    union
    select replaced_songplays.start_time
    from replaced_songplays
    left join songplays on songplays.start_time = replaced_songplays.start_time
    where songplays.start_time is null
);

insert into time (
    start_time,
    hour,
    day,
    week,
    month,
    year,
    weekday
)
with

start_times as (
    -- the plays of the replaced days: every play in a full run, without a second of joining at a million plays
    -- (the OR is with a constant: see above)
    select distinct start_time
    from songplays
    where start_time is not null
        and (
            {{full_run}}
            or songplay_id in (select songplay_id from songplay_days where {{replaced_days}})
        )
        and not exists (select 1 from time where time.start_time = songplays.start_time)
)

select
    start_time,
    extract(hour from start_time) as hour,
    extract(day from start_time) as day,
    extract(week from start_time) as week,
    extract(month from start_time) as month,
    extract(year from start_time) as year,
    extract(dow from start_time) as weekday
from start_times;

-- Fails the step when a data quality check of the new build has failures, naming each: the error rolls back
-- the whole transaction, so the previous warehouse stays as it was.
create or replace procedure sp_assert_quality_checks()
as $$
declare
    failed_check record;
    failed varchar(65535) := '';
begin
    for failed_check in
        select
            check_name,
            failures
        from (
{{quality_checks}}
        ) as checks
        where failures > 0
        order by check_name
    loop
        failed := failed
            || case when failed = '' then '' else ', ' end
            || failed_check.check_name || ' (' || cast(failed_check.failures as varchar)
            || case when failed_check.failures = 1 then ' offending row)' else ' offending rows)' end;
    end loop;
    if failed <> '' then
        raise exception 'Data quality checks failed: %; the new build is rolled back and the previous warehouse is unchanged', failed;
    end if;
end;
$$ language plpgsql;

call sp_assert_quality_checks();
