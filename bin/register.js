'use strict';
// Lets Node load this project's TypeScript sources in place (tsx) and its .sql files as text,
// as the Lambda bundle does with esbuild's text loader.
const fs = require('node:fs');
require('tsx/cjs');
require('../local/polyfill');
require.extensions['.sql'] = (module, filename) => {
  module.exports = { __esModule: true, default: fs.readFileSync(filename, 'utf8') };
};
