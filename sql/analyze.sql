-- The analysis queries and the data quality checks. Each statement's result is named by the
-- `-- result:` line above it; the step reports them all, and fails the run when a check has failures
-- (InsertTables has already refused to commit a build that fails one: see sql/insert_tables.sql).

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
-- one row per check (sql/quality_checks.sql): failures is the number of offending rows, 0 when the check passes
select
    check_name,
    failures
from (
{{quality_checks}}
) as checks
order by check_name;
