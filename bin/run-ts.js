#!/usr/bin/env node
// Runs a TypeScript entry point of this project without a build step:
// `node bin/run-ts.js path/to/file.ts [args...]`.
'use strict';
require('./register');
const path = require('node:path');
const entry = path.resolve(process.argv[2]);
process.argv.splice(1, 2, entry);
require(entry);
