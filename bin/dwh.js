#!/usr/bin/env node
// The `dwh` command (package.json "bin"): runs local/cli.ts from source.
'use strict';
require('./register');
require('../local/cli').main();
