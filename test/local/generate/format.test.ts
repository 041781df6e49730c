import {
  EVENT_KEYS,
  type EventRecord,
  formatEvent,
  formatLogJsonPaths,
  formatSong,
  pyFloat,
  SONG_KEYS,
} from '../../../local/generate/format';

const song = {
  num_songs: 1,
  artist_id: 'ARQ7T9W2K1LM4ZB8XC',
  artist_latitude: -37.80512,
  artist_longitude: null,
  artist_location: 'Montréal, Québec',
  artist_name: 'Zoë & Friends / Others',
  song_id: 'SOX3V0PL2N7QR8ST4U',
  title: 'The "Mirror" Ночь 夜',
  duration: 200,
  year: 0,
};

const loggedIn: EventRecord = {
  artist: 'Søren / Ives',
  auth: 'Logged In',
  firstName: 'Wren',
  gender: 'F',
  itemInSession: 3,
  lastName: 'Núñez',
  length: 245.10443,
  level: 'paid',
  location: 'Reno, NV',
  method: 'PUT',
  page: 'NextSong',
  registration: 1540912345678,
  sessionId: 17,
  song: 'Café "Live"',
  status: 200,
  ts: 1541106106796,
  userAgent: '"Mozilla/5.0 (X11; Linux x86_64)"',
  userId: '12',
};

const loggedOut: EventRecord = {
  artist: null,
  auth: 'Logged Out',
  firstName: null,
  gender: null,
  itemInSession: 0,
  lastName: null,
  length: null,
  level: 'free',
  location: null,
  method: 'GET',
  page: 'Home',
  registration: null,
  sessionId: 18,
  song: null,
  status: 200,
  ts: 1541106106796,
  userAgent: null,
  userId: '',
};

describe('pyFloat', () => {
  it.each([
    [1540912345678, '1540912345678.0'],
    [245.10443, '245.10443'],
    [267.7024, '267.7024'],
    [-86.77836, '-86.77836'],
    [0, '0.0'],
    [-0, '-0.0'],
    [200, '200.0'],
  ])('writes %p as %p, like Python repr', (value, text) => {
    expect(pyFloat(value)).toBe(text);
  });

  it.each([[Number.NaN], [Infinity], [1e16], [0.00001]])('refuses %p, which Python would write otherwise', (value) => {
    expect(() => pyFloat(value)).toThrow(`pyFloat: ${value} is outside the range written without an exponent`);
  });
});

describe('formatSong', () => {
  it('writes the keys in order with json.dumps separators, non-ASCII escaped and "/" as is', () => {
    expect(formatSong(song)).toBe(
      '{"num_songs": 1, "artist_id": "ARQ7T9W2K1LM4ZB8XC", "artist_latitude": -37.80512, "artist_longitude": null, ' +
        '"artist_location": "Montr\\u00e9al, Qu\\u00e9bec", "artist_name": "Zo\\u00eb & Friends / Others", ' +
        '"song_id": "SOX3V0PL2N7QR8ST4U", "title": "The \\"Mirror\\" \\u041d\\u043e\\u0447\\u044c \\u591c", ' +
        '"duration": 200.0, "year": 0}',
    );
  });

  it('uses the real key order', () => {
    expect(SONG_KEYS).toEqual([
      'num_songs', 'artist_id', 'artist_latitude', 'artist_longitude', 'artist_location',
      'artist_name', 'song_id', 'title', 'duration', 'year',
    ]);
  });
});

describe('formatEvent', () => {
  it('writes a NextSong event compact, with "\\/" escapes, \\u escapes, quotes kept and a float registration', () => {
    expect(formatEvent(loggedIn)).toBe(
      '{"artist":"S\\u00f8ren \\/ Ives","auth":"Logged In","firstName":"Wren","gender":"F","itemInSession":3,' +
        '"lastName":"N\\u00fa\\u00f1ez","length":245.10443,"level":"paid","location":"Reno, NV","method":"PUT",' +
        '"page":"NextSong","registration":1540912345678.0,"sessionId":17,"song":"Caf\\u00e9 \\"Live\\"","status":200,' +
        '"ts":1541106106796,"userAgent":"\\"Mozilla\\/5.0 (X11; Linux x86_64)\\"","userId":"12"}',
    );
  });

  it('writes a logged-out event with nulls and an empty userId', () => {
    expect(formatEvent(loggedOut)).toBe(
      '{"artist":null,"auth":"Logged Out","firstName":null,"gender":null,"itemInSession":0,"lastName":null,' +
        '"length":null,"level":"free","location":null,"method":"GET","page":"Home","registration":null,' +
        '"sessionId":18,"song":null,"status":200,"ts":1541106106796,"userAgent":null,"userId":""}',
    );
  });

  it('refuses a ts that is not an integer', () => {
    expect(() => formatEvent({ ...loggedOut, ts: 1.5 })).toThrow('1.5 is not an integer');
  });

  it('escapes characters beyond the Basic Multilingual Plane as a surrogate pair, as Python does', () => {
    expect(formatEvent({ ...loggedIn, song: '\u{1F3B5}' })).toContain('"song":"\\ud83c\\udfb5"');
  });
});

describe('formatLogJsonPaths', () => {
  it('lists one path per event key, in the real order', () => {
    expect(JSON.parse(formatLogJsonPaths())).toEqual({ jsonpaths: EVENT_KEYS.map((key) => `$['${key}']`) });
    expect(EVENT_KEYS).toEqual([
      'artist', 'auth', 'firstName', 'gender', 'itemInSession', 'lastName', 'length', 'level', 'location',
      'method', 'page', 'registration', 'sessionId', 'song', 'status', 'ts', 'userAgent', 'userId',
    ]);
  });
});
