-- The analysis queries and the data quality checks. Each statement's result is named by the
-- `-- result:` line above it; the step reports them all, and fails the run when a check has failures.

-- result: users_by_gender
-- one row per gender
select
    gender,
    count(*) as users
from users
group by gender
order by gender;

-- result: users_by_level
-- one row per level
select
    level,
    count(*) as users
from users
group by level
order by level;

-- result: duplicate_user_ids
-- one row: how many user_id values stand in more than one row of users (must be 0)
select count(*) as duplicate_user_ids
from (
    select user_id
    from users
    group by user_id
    having count(*) > 1
) as duplicated;

-- result: quality_checks
-- one row per check: failures is the number of offending rows, 0 when the check passes
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
    select 'songplays_count_matches_next_song_events',
        abs(
            (select count(*) from songplays)
            - (select count(*) from staging_events where page = 'NextSong')
        )
) as checks
order by check_name;
