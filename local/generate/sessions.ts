// One session: consecutive events of one user, or of a visitor who is not logged in (and may log in), each with
// its page, ts, itemInSession and the level the user has at that moment.
import { type Catalog, type Track, UNITS_PER_SECOND } from './catalog';
import type { EventRecord } from './format';
import { choosePlay } from './plays';
import type { Random } from './random';
import type { User } from './users';

type Page =
  | 'NextSong'
  | 'Home'
  | 'Login'
  | 'Logout'
  | 'Settings'
  | 'Save Settings'
  | 'Help'
  | 'About'
  | 'Upgrade'
  | 'Submit Upgrade'
  | 'Downgrade'
  | 'Submit Downgrade'
  | 'Error';

/** The request behind each page, as in the real logs: form submissions are PUT and redirect (307). */
const REQUESTS: Record<Page, { method: 'GET' | 'PUT'; status: number }> = {
  NextSong: { method: 'PUT', status: 200 },
  Home: { method: 'GET', status: 200 },
  Login: { method: 'PUT', status: 307 },
  Logout: { method: 'PUT', status: 307 },
  Settings: { method: 'GET', status: 200 },
  'Save Settings': { method: 'PUT', status: 307 },
  Help: { method: 'GET', status: 200 },
  About: { method: 'GET', status: 200 },
  Upgrade: { method: 'GET', status: 200 },
  'Submit Upgrade': { method: 'PUT', status: 307 },
  Downgrade: { method: 'GET', status: 200 },
  'Submit Downgrade': { method: 'PUT', status: 307 },
  Error: { method: 'GET', status: 404 },
};

const COMMON_PAGES = { NextSong: 80, Home: 5, Settings: 2.5, Help: 1.5, About: 1, Error: 0.5, Logout: 2.5 } as const;
const FREE_PAGES = { ...COMMON_PAGES, Upgrade: 4 } as const;
const PAID_PAGES = { ...COMMON_PAGES, Downgrade: 2 } as const;
const VISITOR_PAGES = { Home: 6, About: 2, Help: 2 } as const;

/** The longest gap between two events of a session, in seconds: the longest play (a 9-minute song 10 s long). */
export const MAX_GAP_SECONDS = 560;

export interface SessionPlan {
  sessionId: number;
  startTs: number;
  /** Number of events. */
  length: number;
  /** Logged in from the first event; otherwise a visitor, who may log in as `user` if there is one. */
  loggedIn: boolean;
  user: User | undefined;
}

export interface SessionContext {
  rng: Random;
  catalog: Catalog;
  pool: readonly Track[];
}

function loggedInPage(rng: Random, previous: Page | undefined, item: number, level: User['level']): Page {
  if (item === 0 && rng.chance(0.45)) return 'Home';
  if (previous === 'Upgrade' && rng.chance(0.5)) return 'Submit Upgrade';
  if (previous === 'Downgrade' && rng.chance(0.3)) return 'Submit Downgrade';
  if (previous === 'Settings' && rng.chance(0.5)) return 'Save Settings';
  return level === 'free' ? rng.weighted(FREE_PAGES) : rng.weighted(PAID_PAGES);
}

function visitorPage(rng: Random, previous: Page | undefined, canLogIn: boolean): Page {
  if (previous === 'Logout') return 'Home';
  if (canLogIn && previous !== undefined && rng.chance(0.5)) return 'Login';
  return rng.weighted(VISITOR_PAGES);
}

/** Seconds until the next event: a play lasts its song; a session often opens with Home and a play at once. */
function gapAfter(rng: Random, page: Page, item: number, track: Track | undefined): number {
  if (track) return Math.round(track.units / UNITS_PER_SECOND);
  if (page === 'Home' && item === 0 && rng.chance(0.5)) return 0;
  return rng.int(1, 120);
}

interface EventFields {
  sessionId: number;
  item: number;
  page: Page;
  ts: number;
  level: User['level'];
}

function loggedInEvent({ sessionId, item, page, ts, level }: EventFields, user: User, track: Track | undefined): EventRecord {
  return {
    artist: track?.artist ?? null,
    auth: 'Logged In',
    firstName: user.firstName,
    gender: user.gender,
    itemInSession: item,
    lastName: user.lastName,
    length: track ? track.units / UNITS_PER_SECOND : null,
    level,
    location: user.location,
    ...REQUESTS[page],
    page,
    registration: user.registration,
    sessionId,
    song: track?.title ?? null,
    ts,
    userAgent: user.userAgent,
    userId: user.id,
  };
}

/** A logged-out event: no user, so userId is "" and the profile fields are null; the level stays set. */
function loggedOutEvent({ sessionId, item, page, ts, level }: EventFields): EventRecord {
  return {
    artist: null,
    auth: 'Logged Out',
    firstName: null,
    gender: null,
    itemInSession: item,
    lastName: null,
    length: null,
    level,
    location: null,
    ...REQUESTS[page],
    page,
    registration: null,
    sessionId,
    song: null,
    ts,
    userAgent: null,
    userId: '',
  };
}

/**
 * Runs a session to its end and returns its events in order. Updates the user: their level (after a
 * Submit Upgrade or Submit Downgrade, from the next event on) and when they are free again.
 */
export function simulateSession(context: SessionContext, plan: SessionPlan): EventRecord[] {
  const { rng } = context;
  const { user, sessionId } = plan;
  let loggedIn = plan.loggedIn && user !== undefined;
  let level = user?.level ?? 'free';
  let previous: Page | undefined;
  let ts = plan.startTs;
  const events: EventRecord[] = [];
  for (let item = 0; item < plan.length; item++) {
    const page = loggedIn && user ? loggedInPage(rng, previous, item, level) : visitorPage(rng, previous, user !== undefined);
    const track = page === 'NextSong' ? choosePlay(rng, context.catalog, context.pool) : undefined;
    const fields = { sessionId, item, page, ts, level };
    events.push(loggedIn && user ? loggedInEvent(fields, user, track) : loggedOutEvent(fields));
    if (page === 'Login') loggedIn = true;
    if (page === 'Logout') loggedIn = false;
    if (page === 'Submit Upgrade') level = 'paid';
    if (page === 'Submit Downgrade') level = 'free';
    previous = page;
    if (item < plan.length - 1) ts += gapAfter(rng, page, item, track) * 1000;
  }
  if (user) {
    user.level = level;
    user.busyUntil = ts;
  }
  return events;
}
