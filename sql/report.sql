-- The queries behind the run report's charts (local/htmlReport/): read-only, over the star tables, in Redshift
-- SQL, so that the same report can be made from a cluster. Each statement's result is named by its `-- result:`
-- line; counts are plays (rows of songplays) or users (rows of users).

-- result: plays_by_hour
-- one row per hour of the day (UTC) that has plays
select
    time.hour,
    count(*) as plays
from songplays
join time on time.start_time = songplays.start_time
group by time.hour
order by time.hour;

-- result: plays_by_weekday
-- one row per weekday that has plays (0 = Sunday)
select
    time.weekday,
    count(*) as plays
from songplays
join time on time.start_time = songplays.start_time
group by time.weekday
order by time.weekday;

-- result: users_by_gender_and_level
-- one row per gender and level
select
    gender,
    level,
    count(*) as users
from users
group by gender, level
order by gender, level;

-- result: plays_by_day_and_level
-- one row per day (UTC) and level that has plays: free against paid plays over time
select
    cast(start_time as date) as play_date,
    level,
    count(*) as plays
from songplays
group by cast(start_time as date), level
order by play_date, level;

-- result: top_songs
-- one row per song among the 10 most played of the matched plays (ties to the title, then the song_id)
select
    songs.title,
    artists.name as artist_name,
    count(*) as plays
from songplays
join songs on songs.song_id = songplays.song_id
left join artists on artists.artist_id = songs.artist_id
group by songs.song_id, songs.title, artists.name
order by plays desc, songs.title, songs.song_id
limit 10;

-- result: top_artists
-- one row per artist among the 10 most played of the matched plays (ties to the name, then the artist_id)
select
    artists.name as artist_name,
    count(*) as plays
from songplays
join artists on artists.artist_id = songplays.artist_id
group by artists.artist_id, artists.name
order by plays desc, artists.name, artists.artist_id
limit 10;

-- result: matched_plays
-- one row per outcome (matched to a song or not) that has plays
select
    case when song_id is null then 'not matched' else 'matched' end as outcome,
    count(*) as plays
from songplays
group by 1
order by outcome;
