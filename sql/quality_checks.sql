-- The data quality checks, defined once: sql/insert_tables.sql fails the build on them before it commits, and
-- sql/analyze.sql reports them. One row per check: failures is the number of offending rows, 0 when it passes.
-- sql/ files include it with the placeholder quality_checks, as a subquery: a single select, no semicolon.
select
    check_name,
    failures
from (
    select 'songplays_null_keys' as check_name, count(*) as failures
    from songplays
    where songplay_id is null or start_time is null or user_id is null

    union all
    select 'users_null_keys', count(*) from users where user_id is null
    union all
    select 'songs_null_keys', count(*) from songs where song_id is null
    union all
    select 'artists_null_keys', count(*) from artists where artist_id is null
    union all
    select 'time_null_keys', count(*) from time where start_time is null

    union all
    select 'users_duplicate_keys', count(*)
    from (select user_id from users group by user_id having count(*) > 1) as duplicated
    union all
    select 'songs_duplicate_keys', count(*)
    from (select song_id from songs group by song_id having count(*) > 1) as duplicated
    union all
    select 'artists_duplicate_keys', count(*)
    from (select artist_id from artists group by artist_id having count(*) > 1) as duplicated
    union all
    select 'time_duplicate_keys', count(*)
    from (select start_time from time group by start_time having count(*) > 1) as duplicated

    union all
    select 'songplays_user_missing', count(*)
    from songplays
    left join users on users.user_id = songplays.user_id
    where users.user_id is null
    union all
    select 'songplays_time_missing', count(*)
    from songplays
    left join time on time.start_time = songplays.start_time
    where time.start_time is null

    union all
    -- songplay_days holds one row per NextSong event of every loaded day
    select 'songplays_count_matches_next_song_events',
        abs(
            (select count(*) from songplays)
            - (select count(*) from songplay_days)
        )

    -- A plausibility check: ts in seconds instead of milliseconds puts every play in January 1970.
    -- The window is a setting (DWH_START_TIME_MIN, DWH_START_TIME_MAX), both days included.
    union all
    select 'songplays_start_time_outside_window', count(*)
    from songplays
    where cast(start_time as date) not between {{start_time_min}} and {{start_time_max}}
) as checks
