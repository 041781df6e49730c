// An execution as its history tells it (GetExecutionHistory, every page): one record per state visit, as `dwh run`
// reports them (local/runner.ts, StateRecord), and how the execution ended. Polled until the execution ends.
import { GetExecutionHistoryCommand, type HistoryEvent, type SFNClient } from '@aws-sdk/client-sfn';
import type { StateRecord } from '../runner';

export interface ExecutionEnd {
  status: 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED';
  output?: unknown;
  error?: string;
  cause?: string;
}

/** Reads a history, event by event, into state visits and the execution's end. */
export class HistoryReader {
  readonly states: StateRecord[] = [];
  end?: ExecutionEnd;
  private lastId = 0;
  private visit?: { name: string; at: number; failedLast: boolean; scheduled: number; retriedAt: number[] };

  constructor(private readonly onState?: (state: StateRecord) => void) {}

  /** Reads the events not read yet (history ids only grow). */
  read(events: HistoryEvent[]): void {
    for (const event of events) {
      if ((event.id ?? 0) <= this.lastId) continue;
      this.lastId = event.id ?? this.lastId;
      this.readOne(event);
    }
  }

  private finish(status: StateRecord['status'], at: number): void {
    if (!this.visit) return;
    const record = { name: this.visit.name, status, ms: at - this.visit.at, startedAt: this.visit.at, retriedAt: this.visit.retriedAt };
    this.states.push(record);
    this.onState?.(record);
    this.visit = undefined;
  }

  private readOne(event: HistoryEvent): void {
    const type = event.type ?? '';
    const at = event.timestamp?.getTime() ?? 0;
    if (type.endsWith('StateEntered')) {
      this.visit = { name: event.stateEnteredEventDetails?.name ?? '?', at, failedLast: false, scheduled: 0, retriedAt: [] };
    } else if (type.endsWith('StateExited')) {
      // A Task whose last attempt failed and whose state still exits was caught: its Catch moved on.
      this.finish(this.visit?.failedLast ? 'CAUGHT' : 'SUCCEEDED', at);
    } else if (/^(Task|LambdaFunction)Scheduled$/.test(type)) {
      // A Task scheduled again within one visit is a Retry.
      if (this.visit && this.visit.scheduled++ > 0) this.visit.retriedAt.push(at);
    } else if (/^(Task|LambdaFunction)(Failed|TimedOut|StartFailed|ScheduleFailed)$/.test(type)) {
      if (this.visit) this.visit.failedLast = true;
    } else if (/^(Task|LambdaFunction)Succeeded$/.test(type)) {
      if (this.visit) this.visit.failedLast = false;
    } else if (type === 'ExecutionSucceeded') {
      const output = event.executionSucceededEventDetails?.output;
      this.end = { status: 'SUCCEEDED', output: output ? (JSON.parse(output) as unknown) : undefined };
    } else if (type === 'ExecutionFailed' || type === 'ExecutionTimedOut' || type === 'ExecutionAborted') {
      this.finish('FAILED', at);
      const details = event.executionFailedEventDetails ?? event.executionTimedOutEventDetails ?? event.executionAbortedEventDetails;
      const status = type === 'ExecutionFailed' ? 'FAILED' : type === 'ExecutionTimedOut' ? 'TIMED_OUT' : 'ABORTED';
      this.end = { status, error: details?.error ?? status, cause: details?.cause ?? '' };
    }
  }
}

/** Every event of the history so far, all pages read (nextToken), oldest first. */
export async function readHistory(sfn: SFNClient, executionArn: string): Promise<HistoryEvent[]> {
  const events: HistoryEvent[] = [];
  let nextToken: string | undefined;
  do {
    const page = await sfn.send(new GetExecutionHistoryCommand({ executionArn, maxResults: 1000, ...(nextToken ? { nextToken } : {}) }));
    events.push(...(page.events ?? []));
    nextToken = page.nextToken;
  } while (nextToken);
  return events;
}

export interface FollowOptions {
  onState?: (state: StateRecord) => void;
  sleep?: (ms: number) => Promise<void>;
  /** The first wait between two reads; doubled while nothing new happens, up to `maxPollMs`, and reset by news. */
  pollMs?: number;
  maxPollMs?: number;
}

/** Reads the history until the execution ends, waiting between reads with backoff; every state is reported once. */
export async function followExecution(sfn: SFNClient, executionArn: string, options: FollowOptions = {}): Promise<{ states: StateRecord[]; end: ExecutionEnd }> {
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const first = options.pollMs ?? 2000;
  const max = options.maxPollMs ?? 30_000;
  const reader = new HistoryReader(options.onState);
  let idle = 0;
  for (;;) {
    const before = reader.states.length;
    reader.read(await readHistory(sfn, executionArn));
    if (reader.end) return { states: reader.states, end: reader.end };
    if (reader.states.length > before) idle = 0;
    await sleep(Math.min(first * 2 ** idle, max));
    idle += 1;
  }
}

/** The states and end of an execution as its history stands now (it may still be running: no end). */
export async function readExecution(sfn: SFNClient, executionArn: string): Promise<{ states: StateRecord[]; end?: ExecutionEnd }> {
  const reader = new HistoryReader();
  reader.read(await readHistory(sfn, executionArn));
  return { states: reader.states, end: reader.end };
}
