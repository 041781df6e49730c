'use strict';
// The entry point of a COPY's conversion thread (conversionThread.ts). A worker thread starts without the main
// thread's loaders (tsx under `dwh`, ts-jest under jest): it registers tsx to load the TypeScript sources itself.
require('tsx/cjs');
require('./conversionThread').runConversionThread();
