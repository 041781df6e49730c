// The run's states as a Gantt chart: a row per state (in the order first entered), a bar per visit from its
// entry to its exit, so a poll loop shows as repeated bars on its Wait/Describe/Choice rows and a retry as a
// mark on its state's bar. Hovering a bar shows its times.
import type { TopLevelSpec } from 'vega-lite';
import type { StateRecord } from '../runner';
import { renderSvg } from './vegaSvg';

const STATUS_COLORS = { domain: ['SUCCEEDED', 'CAUGHT', 'FAILED'], range: ['#54a24b', '#f58518', '#e45756'] };

/** The timeline's Vega-Lite spec; times are ms since the first state was entered. */
export function timelineSpec(states: StateRecord[]): TopLevelSpec {
  const runStartedAt = states[0]?.startedAt ?? 0;
  const visits = new Map<string, number>();
  const bars = states.map((state) => {
    const visit = (visits.get(state.name) ?? 0) + 1;
    visits.set(state.name, visit);
    const start = state.startedAt - runStartedAt;
    const retries = state.retriedAt.length === 0 ? '' : `, ${state.retriedAt.length} retr${state.retriedAt.length === 1 ? 'y' : 'ies'}`;
    return {
      state: state.name,
      status: state.status,
      start,
      end: start + state.ms,
      hover: `${state.name} (visit ${visit}): ${state.status} in ${state.ms} ms, from ${start} ms to ${start + state.ms} ms${retries}`,
    };
  });
  const retries = states.flatMap((state) =>
    state.retriedAt.map((at, index) => ({
      state: state.name,
      at: at - runStartedAt,
      hover: `${state.name}: retry ${index + 1} at ${at - runStartedAt} ms`,
    })),
  );
  const y = { field: 'state', type: 'nominal', sort: [...visits.keys()], title: 'state', axis: { labelLimit: 300 } } as const;
  return {
    title: {
      text: 'Timeline of the states',
      subtitle: 'a bar per visit of a state, from its entry to its exit (a poll loop visits its states again); ▼ a retry',
    },
    width: 640,
    height: { step: 14 },
    layer: [
      {
        data: { values: bars },
        mark: { type: 'bar', height: 10 },
        encoding: {
          y,
          x: { field: 'start', type: 'quantitative', title: 'time since the execution started (ms)' },
          x2: { field: 'end' },
          color: { field: 'status', type: 'nominal', title: 'state ended', scale: STATUS_COLORS },
          description: { field: 'hover' },
        },
      },
      {
        // a visit too short to draw as a bar still shows, as a tick at its entry
        data: { values: bars },
        mark: { type: 'tick', thickness: 2, size: 10 },
        encoding: {
          y,
          x: { field: 'start', type: 'quantitative' },
          color: { field: 'status', type: 'nominal', scale: STATUS_COLORS },
          description: { field: 'hover' },
        },
      },
      {
        data: { values: retries },
        mark: { type: 'point', shape: 'triangle-down', filled: true, size: 60, color: '#b279a2', opacity: 1 },
        encoding: { y, x: { field: 'at', type: 'quantitative' }, description: { field: 'hover' } },
      },
    ],
  };
}

/** The timeline as SVG. */
export function renderTimeline(states: StateRecord[]): Promise<string> {
  return renderSvg(timelineSpec(states));
}
