// The listeners: a profile each, and the one piece of state that changes over the period, their level.
import type { Random } from './random';
import * as words from './words';

export interface User {
  id: string;
  firstName: string;
  lastName: string;
  gender: 'F' | 'M';
  location: string;
  /** Epoch milliseconds, before the period starts. */
  registration: number;
  /** As the logs hold it: wrapped in literal double quotes. */
  userAgent: string;
  /** Changes when the user submits an upgrade or a downgrade. */
  level: 'free' | 'paid';
  /** The ts of the user's last event so far: a new session of theirs starts after it. */
  busyUntil: number;
}

const DAY_MS = 86_400_000;

/** How many listeners a sample of `events` events has: about 40 events each, at least 8. */
export function userCount(events: number): number {
  return Math.max(8, Math.ceil(events / 40));
}

/** Builds `count` users with ids "1", "2", ..., registered in the 120 days before `startMs`. */
export function buildUsers(rng: Random, count: number, startMs: number): User[] {
  const users: User[] = [];
  for (let i = 1; i <= count; i++) {
    const gender = rng.chance(0.5) ? 'F' : 'M';
    users.push({
      id: String(i),
      firstName: rng.pick(gender === 'F' ? words.FEMALE_NAMES : words.MALE_NAMES),
      lastName: rng.pick(words.LAST_NAMES),
      gender,
      location: rng.pick(words.PLACES),
      registration: startMs - rng.int(DAY_MS / 24, 120 * DAY_MS),
      userAgent: `"${rng.pick(words.USER_AGENTS)}"`,
      level: rng.chance(0.35) ? 'paid' : 'free',
      busyUntil: -Infinity,
    });
  }
  return users;
}

/** A user with no session going on at `ts`, the most active ones first; undefined when all are busy. */
export function pickIdleUser(rng: Random, users: readonly User[], ts: number): User | undefined {
  const first = rng.skewed(users.length, 1.5);
  for (let i = 0; i < users.length; i++) {
    const user = users[(first + i) % users.length];
    if (user.busyUntil < ts) return user;
  }
  return undefined;
}
