// The charts over the warehouse: one Vega-Lite spec each, from the results of sql/report.sql. Every chart has a
// title saying what it counts, axis titles with units, and its numbers in a table beside it (the page's
// <details>), so it reads on its own and on paper.
import type { TopLevelSpec } from 'vega-lite';
import type { Row } from '../../functions/lib/ports/warehouse';
import type { ChartData } from './queries';
import { renderSvg } from './vegaSvg';

export interface Chart {
  id: string;
  title: string;
  svg: string;
  /** The numbers drawn, as a table. */
  rows: Row[];
}

const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const HOURS = Array.from({ length: 24 }, (_, hour) => hour);
const LEVEL_COLORS = { domain: ['free', 'paid'], range: ['#e45756', '#4c78a8'] };
const COUNT = { type: 'quantitative', axis: { tickMinStep: 1 } } as const;

/** The rows, each with the text shown when its mark is hovered (`hover`). */
function hovered(rows: Row[], text: (row: Row) => string): Row[] {
  return rows.map((row) => ({ ...row, hover: text(row) }));
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** Plays counted by a column of `time`, a bar for every value of `domain` (none where there are no plays). */
function playsBy(rows: Row[], column: string, domain: (string | number)[], text: { title: string; subtitle: string; axis: string }): TopLevelSpec {
  return {
    title: { text: text.title, subtitle: text.subtitle },
    width: Math.max(320, 20 * domain.length + 40),
    height: 180,
    data: { values: rows },
    mark: 'bar',
    encoding: {
      x: { field: column, type: 'ordinal', scale: { domain }, title: text.axis, axis: { labelAngle: 0 } },
      y: { field: 'plays', ...COUNT, title: 'plays (count)' },
      description: { field: 'hover' },
    },
  };
}

function playsByHour(rows: Row[]): TopLevelSpec {
  return playsBy(hovered(rows, (row) => `${row.plays} plays at ${row.hour}:00-${row.hour}:59 UTC`), 'hour', HOURS, {
    title: 'Plays by hour of day',
    subtitle: 'songplays per hour of their start time, UTC',
    axis: 'hour of day (UTC, 0-23)',
  });
}

function playsByWeekday(rows: Row[]): TopLevelSpec {
  const named = rows.map((row): Row => ({ ...row, weekday: WEEKDAYS[Number(row.weekday)] }));
  return playsBy(hovered(named, (row) => `${row.plays} plays on ${row.weekday}`), 'weekday', WEEKDAYS, {
    title: 'Plays by weekday',
    subtitle: 'songplays per day of the week of their start time, UTC',
    axis: 'weekday (UTC)',
  });
}

/** Users counted by `by`, each bar split by the other attribute. */
function usersBy(rows: Row[], by: 'gender' | 'level'): TopLevelSpec {
  const split = by === 'gender' ? 'level' : 'gender';
  return {
    title: { text: `Users by ${by}`, subtitle: `users (one row each in users), split by ${split}` },
    width: 240,
    height: 120,
    data: { values: hovered(rows, (row) => `${row.users} users: ${by} ${row[by]}, ${split} ${row[split]}`) },
    mark: 'bar',
    encoding: {
      y: { field: by, type: 'nominal', title: by },
      x: { field: 'users', ...COUNT, title: 'users (count)' },
      color: { field: split, type: 'nominal', title: split, ...(split === 'level' ? { scale: LEVEL_COLORS } : {}) },
      description: { field: 'hover' },
    },
  };
}

function freeVsPaid(rows: Row[]): TopLevelSpec {
  return {
    title: { text: 'Free and paid plays over time', subtitle: 'songplays per day (UTC), by the level of the user at the time of the play' },
    width: 520,
    height: 180,
    data: { values: hovered(rows, (row) => `${row.plays} ${row.level} plays on ${row.play_date}`) },
    mark: { type: 'line', point: true },
    encoding: {
      x: { field: 'play_date', type: 'temporal', timeUnit: 'utcyearmonthdate', title: 'day (UTC)', axis: { format: '%b %d' } },
      y: { field: 'plays', ...COUNT, title: 'plays (count)' },
      color: { field: 'level', type: 'nominal', title: 'level', scale: LEVEL_COLORS },
      description: { field: 'hover' },
    },
  };
}

/** The most played, one bar each in rank order; `label` names a row. Ranked labels stay distinct when two songs
 * (or artists) share a name. */
function top(rows: Row[], label: (row: Row) => string, title: string, subject: string, ties: string): TopLevelSpec {
  const ranked = rows.map((row, index): Row => ({ plays: row.plays, rank: `${index + 1}. ${label(row)}` }));
  return {
    title: { text: title, subtitle: `among the plays matched to a song; ties in ${ties} order` },
    width: 360,
    height: { step: 18 },
    data: { values: hovered(ranked, (row) => `${row.rank}: ${row.plays} plays`) },
    mark: 'bar',
    encoding: {
      // the axis title above the labels, where long labels cannot run into it
      y: {
        field: 'rank',
        type: 'nominal',
        sort: null,
        title: subject,
        axis: { labelLimit: 400, titleAngle: 0, titleAlign: 'right', titleBaseline: 'bottom', titleX: -4, titleY: -4 },
      },
      x: { field: 'plays', ...COUNT, title: 'plays (count)' },
      description: { field: 'hover' },
    },
  };
}

function matchedShare(rows: Row[]): TopLevelSpec {
  const total = rows.reduce((sum, row) => sum + Number(row.plays), 0);
  const matched = Number(rows.find((row) => row.outcome === 'matched')?.plays ?? 0);
  const percent = total === 0 ? 0 : (100 * matched) / total;
  return {
    title: {
      text: 'Share of plays matched to a song',
      subtitle: `${matched} of ${plural(total, 'play')} (${percent.toFixed(1)} %) have a song_id and an artist_id`,
    },
    width: 520,
    height: 40,
    data: {
      values: hovered(
        rows.map((row): Row => ({ ...row, share: Number(row.plays) / total })),
        (row) => `${row.outcome}: ${row.plays} plays (${(100 * Number(row.share)).toFixed(1)} %)`,
      ),
    },
    mark: 'bar',
    encoding: {
      x: { field: 'share', type: 'quantitative', stack: 'zero', scale: { domain: [0, 1] }, axis: { format: '.0%' }, title: 'share of plays (%)' },
      color: { field: 'outcome', type: 'nominal', title: 'outcome', scale: { domain: ['matched', 'not matched'], range: ['#54a24b', '#bab0ac'] } },
      description: { field: 'hover' },
    },
  };
}

/** Every chart, in the order the page shows them. */
export async function renderCharts(data: ChartData): Promise<Chart[]> {
  const charts: [string, string, TopLevelSpec, Row[]][] = [
    ['plays-by-hour', 'Plays by hour of day', playsByHour(data.plays_by_hour), data.plays_by_hour],
    ['plays-by-weekday', 'Plays by weekday', playsByWeekday(data.plays_by_weekday), data.plays_by_weekday],
    ['users-by-gender', 'Users by gender', usersBy(data.users_by_gender_and_level, 'gender'), data.users_by_gender_and_level],
    ['users-by-level', 'Users by level', usersBy(data.users_by_gender_and_level, 'level'), data.users_by_gender_and_level],
    ['free-vs-paid', 'Free and paid plays over time', freeVsPaid(data.plays_by_day_and_level), data.plays_by_day_and_level],
    ['top-songs', 'Top 10 songs', top(data.top_songs, (row) => `${row.title} (${row.artist_name ?? 'unknown artist'})`, 'Top 10 songs', 'song (artist)', 'title'), data.top_songs],
    ['top-artists', 'Top 10 artists', top(data.top_artists, (row) => String(row.artist_name), 'Top 10 artists', 'artist', 'name'), data.top_artists],
    ['matched-share', 'Share of plays matched to a song', matchedShare(data.matched_plays), data.matched_plays],
  ];
  return Promise.all(charts.map(async ([id, title, spec, rows]) => ({ id, title, svg: await renderSvg(spec), rows })));
}
