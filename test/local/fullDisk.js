'use strict';
// A full disk, for tests: preloaded into a `dwh` process (`node -r test/local/fullDisk.js bin/dwh.js …`), it makes
// Node's fs.writeSync, which PGlite's file system uses for every write, fail with ENOSPC as a full disk does,
// once DWH_TEST_FULL_DISK_BYTES bytes have been written to files whose path matches DWH_TEST_FULL_DISK_FILES.
const fs = require('node:fs');

const files = new RegExp(process.env.DWH_TEST_FULL_DISK_FILES || '^$');
let budget = Number(process.env.DWH_TEST_FULL_DISK_BYTES || 0);
const paths = new Map();

const openSync = fs.openSync;
fs.openSync = function (file, ...rest) {
  const fd = openSync.call(this, file, ...rest);
  paths.set(fd, String(file));
  return fd;
};
const closeSync = fs.closeSync;
fs.closeSync = function (fd, ...rest) {
  paths.delete(fd);
  return closeSync.call(this, fd, ...rest);
};
const writeSync = fs.writeSync;
fs.writeSync = function (fd, buffer, ...rest) {
  const file = paths.get(fd);
  if (file !== undefined && files.test(file)) {
    const length = typeof rest[1] === 'number' ? rest[1] : buffer.length;
    if (length > budget) {
      throw Object.assign(new Error(`ENOSPC: no space left on device, write`), { code: 'ENOSPC', errno: -28, syscall: 'write' });
    }
    budget -= length;
  }
  return writeSync.call(this, fd, buffer, ...rest);
};
