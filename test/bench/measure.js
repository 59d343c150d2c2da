// @ts-check
"use strict";
/**
 * Runs a Node script in this process and reports its peak resident memory when it exits, on
 * stderr as `bench-maxrss-kb=N`: `node measure.js SCRIPT ARGS...`.
 */
const fs = require("node:fs");
const path = require("node:path");

const [script, ...args] = process.argv.slice(2);
process.argv = [process.argv[0], path.resolve(script), ...args];
process.on("exit", () => {
  fs.writeSync(2, `\nbench-maxrss-kb=${process.resourceUsage().maxRSS}\n`);
});
require(path.resolve(script));
