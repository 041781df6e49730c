// Where the project keeps what it makes once and reuses (the warehouse's template, the verdicts on state machine
// definitions): node_modules/.cache/sparkify-dwh, beside the installed packages, so a clean clone's `npm ci` starts
// it afresh and `rm -rf node_modules` removes it.
import path from 'node:path';

/** The node_modules folder the project's packages are installed in (found from PGlite's). */
const NODE_MODULES = path.join(path.dirname(require.resolve('@electric-sql/pglite')), '..', '..', '..');

export const CACHE_DIR = path.join(NODE_MODULES, '.cache', 'sparkify-dwh');
