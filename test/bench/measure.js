// @ts-check
"use strict";
/**
 * Runs a Node script in this process and reports its peak resident memory and the CPU time it
 * used (every thread) when it exits, on stderr as `bench-maxrss-kb=N` and `bench-cpu-ms=N`, then
 * the Node version as `bench-node=V`:
 * `node measure.js SCRIPT ARGS...`.
 */
const fs = require("node:fs");
const path = require("node:path");

const [script, ...args] = process.argv.slice(2);
process.argv = [process.argv[0], path.resolve(script), ...args];
process.on("exit", () => {
  const use = process.resourceUsage();
  fs.writeSync(2, `\nbench-maxrss-kb=${use.maxRSS}\nbench-cpu-ms=${Math.round((use.userCPUTime + use.systemCPUTime) / 1000)}\nbench-node=${process.versions.node}\n`);
});
require(path.resolve(script));
