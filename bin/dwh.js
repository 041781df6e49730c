#!/usr/bin/env node
// The `dwh` command (package.json "bin"): runs local/cli.ts from source.
'use strict';
require('./register');
require('../local/cli')
  .main()
  // The command's work is done and its exit code set: end here, once the output is written, even if a failed
  // warehouse engine left something pending that would keep the process alive.
  .then(() => process.stdout.write('', () => process.stderr.write('', () => process.exit())));
