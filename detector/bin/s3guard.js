#!/usr/bin/env -S node --min-semi-space-size=16 --max-semi-space-size=16 --no-allocation-site-pretenuring
"use strict";
// Thin launcher: the command itself is compiled TypeScript in ../dist.
// Node's flags on the first line are src/launcher.ts's NODE_FLAGS: they count only when node
// starts, so `node detector/bin/s3guard.js` runs without them.
require("../dist/cli.js").main(process.argv.slice(2)).then(
  (code) => { process.exitCode = code; },
  (err) => { console.error(err && err.stack ? err.stack : String(err)); process.exitCode = 70; },
);
