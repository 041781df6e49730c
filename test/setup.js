'use strict';
// Jest setup for every test file.
require('../local/polyfill');
// The AWS SDK warns once per process that its 2027 releases will need Node.js 22 (Lambda runs 22 already).
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
