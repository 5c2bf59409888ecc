#!/usr/bin/env node
'use strict';
// The isolates live in a child process that the CLI starts with --no-node-snapshot, so this
// process needs no flags of its own.
const { main } = require('../dist/cli.js');

main(process.argv.slice(2)).then((exitCode) => {
  process.exitCode = exitCode;
});
