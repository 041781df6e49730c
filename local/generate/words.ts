// The vocabulary the generator draws from: listeners' names, places and browsers, and the words that make up
// song titles and artist names (some of them non-ASCII, to exercise the \uXXXX escapes end to end).

export const FEMALE_NAMES = [
  'Adaline', 'Bettina', 'Calla', 'Delphine', 'Eloise', 'Fern', 'Greta', 'Imogen', 'Juniper', 'Linnea',
  'Marisol', 'Nadia', 'Odette', 'Priya', 'Rosalind', 'Saoirse', 'Thea', 'Ursula', 'Vivian', 'Wren',
  'Yara', 'Zinnia', 'Beatrix', 'Clementine', 'Dagny', 'Esme', 'Ingrid', 'Philippa',
] as const;

export const MALE_NAMES = [
  'Alder', 'Bram', 'Cyrus', 'Dashiell', 'Emrys', 'Felix', 'Gideon', 'Harlan', 'Ignatius', 'Jasper',
  'Kieran', 'Leopold', 'Magnus', 'Nikolai', 'Oren', 'Percival', 'Quentin', 'Rafferty', 'Silas', 'Tobias',
  'Ulric', 'Vaughn', 'Wendell', 'Xavier', 'Yusuf', 'Zebulon', 'Anselm', 'Barnaby',
] as const;

export const LAST_NAMES = [
  'Ashdown', 'Blackwood', 'Crane', 'Delacroix', 'Eastwick', 'Fairweather', 'Greenhalgh', 'Hollingsworth',
  'Ibarra', 'Jessup', 'Kowalczyk', 'Lindqvist', 'Merriweather', 'Nakamura', 'Okonkwo', 'Pemberton', 'Quarles',
  'Rasmussen', 'Stroud', 'Thackeray', 'Underhill', 'Vantongeren', 'Whitlock', 'Yablonski', 'Zamora',
  'Abernathy', 'Castellanos', 'Drummond', 'Ellsworth', 'Galloway', 'Hargreave', 'Ingersoll', 'Núñez',
  'Østergaard',
] as const;

export const PLACES = [
  'Boise City, ID', 'Fargo, ND-MN', 'Tulsa, OK', 'Spokane-Spokane Valley, WA', 'Duluth, MN-WI', 'Asheville, NC',
  'Bozeman, MT', 'Burlington-South Burlington, VT', 'Chattanooga, TN-GA', 'Des Moines-West Des Moines, IA',
  'El Paso, TX', 'Flagstaff, AZ', 'Green Bay, WI', 'Urban Honolulu, HI', 'Knoxville, TN', 'Lexington-Fayette, KY',
  'Madison, WI', 'Missoula, MT', 'Omaha-Council Bluffs, NE-IA', 'Providence-Warwick, RI-MA', 'Reno, NV',
  'Rochester, NY', 'Santa Fe, NM', 'Savannah, GA', 'Sioux Falls, SD', 'Tallahassee, FL', 'Tucson, AZ',
  'Wichita, KS', 'Anchorage, AK', 'Boulder, CO', 'Cheyenne, WY', 'Albuquerque, NM',
] as const;

/** Browsers of the period; the events hold them wrapped in literal double quotes, as the real logs do. */
export const USER_AGENTS = [
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/70.0.3538.77 Safari/537.36',
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_14) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/12.0 Safari/605.1.15',
  'Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:63.0) Gecko/20100101 Firefox/63.0',
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:62.0) Gecko/20100101 Firefox/62.0',
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10.13; rv:63.0) Gecko/20100101 Firefox/63.0',
  'Mozilla/5.0 (X11; CrOS x86_64 11021.56.0) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/70.0.3538.76 Safari/537.36',
] as const;

export const ADJECTIVES = [
  'Amber', 'Broken', 'Crimson', 'Distant', 'Electric', 'Faded', 'Golden', 'Hollow', 'Indigo', 'Jagged', 'Lonely',
  'Midnight', 'Neon', 'Open', 'Paper', 'Quiet', 'Restless', 'Silver', 'Tender', 'Velvet', 'Wild', 'Wandering',
  'Frozen', 'Burning', 'Hidden', 'Lucky', 'Northern', 'Painted', 'Rusty', 'Secret', 'Slow', 'Sunday',
] as const;

export const NOUNS = [
  'Harbor', 'Highway', 'Lantern', 'Meadow', 'Mirror', 'Ocean', 'Orchard', 'Parade', 'Radio', 'River', 'Rooftop',
  'Satellite', 'Shadow', 'Signal', 'Skyline', 'Sparrow', 'Static', 'Summer', 'Thunder', 'Tide', 'Valley', 'Window',
  'Winter', 'Garden', 'Echo', 'Ember', 'Compass', 'Carousel', 'Canyon', 'Avenue', 'Balloon', 'Comet',
] as const;

/** Non-ASCII words for titles: accented Latin, Cyrillic, Greek and Japanese (no supplementary-plane characters). */
export const UNICODE_WORDS = [
  'Café', 'Mañana', 'Über', 'Été', 'Déjà Vu', 'Coração', 'Fjärran', 'Ночь', 'Σελήνη', 'Żółw', 'Naïve', 'Sérénade',
  '夜明けの街',
] as const;

export const TITLE_SUFFIXES = ['Live', 'Radio Edit', 'Acoustic', 'Remastered', 'Demo'] as const;

export const ARTIST_FIRST_NAMES = [
  'Arlo', 'Bess', 'Cass', 'Dmitri', 'Elodie', 'Fitz', 'Gus', 'Hattie', 'Iver', 'Jonah', 'Kit', 'Lior', 'Mabel',
  'Nell', 'Otis', 'Piper', 'Rhea', 'Sunny', 'Tove', 'Vance',
] as const;

export const ARTIST_LAST_NAMES = [
  'Ashgrove', 'Bramley', 'Carraway', 'Dunmore', 'Evander', 'Foxley', 'Gladwell', 'Holloway', 'Ives', 'Kestrel',
  'Larkin', 'Marlowe', 'Northcote', 'Oakes', 'Pryce', 'Quill', 'Redfern', 'Sallow', 'Thorne',
] as const;

/** Non-ASCII names for artists. */
export const UNICODE_ARTIST_NAMES = [
  'Zoë Müller', 'Jürgen Ångström', 'Søren Lefèvre', 'Aurélie Peña', 'Łukasz Wójcik', 'Inès Björnsdóttir',
  'José Ibáñez', 'Анна Орлова',
] as const;

/** Where artists come from (artist_location is free text in the song data), with rough coordinates. */
export const ARTIST_PLACES: readonly (readonly [place: string, latitude: number, longitude: number])[] = [
  ['Leeds, England', 53.8, -1.55],
  ['Athens, GA', 33.96, -83.38],
  ['Montréal, Québec', 45.5, -73.57],
  ['Melbourne, Australia', -37.81, 144.96],
  ['Austin, TX', 30.27, -97.74],
  ['Bergen, Norway', 60.39, 5.32],
  ['Detroit, MI', 42.33, -83.05],
  ['Reykjavík, Iceland', 64.15, -21.94],
  ['Glasgow, Scotland', 55.86, -4.25],
  ['Lagos, Nigeria', 6.52, 3.38],
  ['Osaka, Japan', 34.69, 135.5],
  ['Seville, Spain', 37.39, -5.98],
  ['Portland, OR', 45.52, -122.68],
  ['Kraków, Poland', 50.06, 19.94],
];
