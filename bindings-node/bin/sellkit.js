#!/usr/bin/env node
'use strict';
// The `sellkit` command (`npx sellkit ...`): the Rust program's own `main`, run from the addon,
// so it has the same flags, output and exit codes as `cargo install sellkit-cli` gives. It writes
// to this process's stdout and stderr directly and returns the exit code.

const native = require('../lib/native.js');

process.exitCode = native.cliMain(['sellkit', ...process.argv.slice(2)]);
