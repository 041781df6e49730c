// One day's log file. The day's sessions are planned first (length and start), then run side by side and
// written in ts order as they go: memory holds the sessions in progress, never the day's events.
import type { Catalog, Track } from './catalog';
import { type EventRecord, formatEvent } from './format';
import { LineWriter } from './files';
import { MinHeap } from './heap';
import type { Random } from './random';
import { MAX_GAP_SECONDS, simulateSession } from './sessions';
import { pickIdleUser, type User } from './users';

const DAY_SECONDS = 86_400;
const MAX_SESSION_LENGTH = 40;
const VISITOR_SHARE = 0.08;

/** What the days share: the random sequence, songs, users, and the next session id. */
export interface World {
  rng: Random;
  catalog: Catalog;
  pool: readonly Track[];
  users: User[];
  nextSessionId: number;
}

export interface DayCounts {
  events: number;
  nextSongEvents: number;
  bytes: number;
  /** The non-empty userIds of the day's events. */
  userIds: Set<string>;
}

interface PlannedSession {
  /** Seconds after midnight. */
  start: number;
  length: number;
}

interface RunningSession {
  events: EventRecord[];
  next: number;
  order: number;
}

/** Splits `count` events into sessions (most short, a few long), each starting early enough to end that day. */
function planSessions(rng: Random, count: number): PlannedSession[] {
  const sessions: PlannedSession[] = [];
  for (let left = count; left > 0; ) {
    const length = Math.min(left, MAX_SESSION_LENGTH, 1 + Math.floor(-Math.log(1 - rng.next()) * 6));
    const latestStart = DAY_SECONDS - 1 - (length - 1) * MAX_GAP_SECONDS;
    sessions.push({ start: rng.int(0, latestStart), length });
    left -= length;
  }
  return sessions.sort((a, b) => a.start - b.start);
}

/** Starts a session: a logged-in user who is idle then, or now and then a visitor who may log in. */
function startSession(world: World, dayStartMs: number, planned: PlannedSession): EventRecord[] {
  const { rng, users } = world;
  const startTs = dayStartMs + planned.start * 1000 + rng.int(0, 999);
  const visitor = rng.chance(VISITOR_SHARE);
  const user = !visitor || rng.chance(0.6) ? pickIdleUser(rng, users, startTs) : undefined;
  const plan = { sessionId: world.nextSessionId++, startTs, length: planned.length, loggedIn: !visitor, user };
  return simulateSession(world, plan);
}

/** Writes the `count` events of the UTC day starting at `dayStartMs` to `path`, in ts order. */
export async function writeDay(path: string, dayStartMs: number, count: number, world: World): Promise<DayCounts> {
  const counts: DayCounts = { events: 0, nextSongEvents: 0, bytes: 0, userIds: new Set() };
  const planned = planSessions(world.rng, count);
  const running = new MinHeap<RunningSession>((a, b) => {
    const ats = a.events[a.next].ts;
    const bts = b.events[b.next].ts;
    return ats < bts || (ats === bts && a.order < b.order);
  });
  const writer = await LineWriter.open(path);
  try {
    let started = 0;
    while (started < planned.length || running.size > 0) {
      // Start the next planned session once no running one has an earlier event left.
      const first = running.peek();
      const nextStartTs = started < planned.length ? dayStartMs + planned[started].start * 1000 : Infinity;
      if (nextStartTs <= (first ? first.events[first.next].ts : Infinity)) {
        running.push({ events: startSession(world, dayStartMs, planned[started]), next: 0, order: started });
        started++;
        continue;
      }
      const session = running.pop()!;
      const event = session.events[session.next++];
      if (session.next < session.events.length) running.push(session);
      await writer.write(formatEvent(event));
      counts.events++;
      if (event.page === 'NextSong') counts.nextSongEvents++;
      if (event.userId !== '') counts.userIds.add(event.userId);
    }
  } finally {
    await writer.close();
  }
  counts.bytes = writer.bytes;
  return counts;
}
