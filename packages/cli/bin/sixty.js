#!/usr/bin/env node
'use strict';
// a reader that stops early (`sixty check --help | head -3`) closes the pipe: stop quietly, as cat does
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error) => {
    if (error && error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw error;
  });
}
require('../dist/cli.js')
  .main(process.argv.slice(2))
  .then((code) => {
    process.exitCode = code;
  });
