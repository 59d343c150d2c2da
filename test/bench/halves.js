// @ts-check
"use strict";
/**
 * What two cores give this work at most on this machine: two independent `s3guard scan
 * --workers 1` processes at once, each on half the files of DIR (file i to half i mod 2), nothing
 * shared and nothing to coordinate: `node halves.js DIR RULES`. A parallel scan of the whole
 * input does that work and more (one state, alerts in input order), so it gains no more than this.
 * The floor's own work in two threads may gain more: parsing alone shares the cores better than
 * the whole scan does.
 *
 * The wall time of the two is reported as `bench-seconds=`, their CPU time as
 * `bench-children-cpu-ms=`, the sum of their peak memories as `bench-children-maxrss-kb=` (what
 * they could hold at once), and their alerts on stdout (they need not be a whole scan's: each
 * half keeps its own state).
 */
const { spawn } = require("node:child_process");
const fs = require("node:fs");
const path = require("node:path");

const REPO = path.resolve(__dirname, "..", "..");
const DETECTOR = path.join(REPO, "detector", "bin", "s3guard.js");
const MEASURE = path.join(__dirname, "measure.js");
const { NODE_FLAGS } = require(path.join(REPO, "detector", "dist", "launcher.js"));

/** Two directories of links to the files of `dir`, made beside it once. */
function halvesOf(dir) {
  const halves = [0, 1].map((h) => `${dir}.half${h}`);
  const stamp = `${dir}.halves.done`;
  if (fs.existsSync(stamp)) return halves;
  halves.forEach((h) => {
    fs.rmSync(h, { recursive: true, force: true });
    fs.mkdirSync(h);
  });
  fs.readdirSync(dir)
    .sort()
    .forEach((name, i) => fs.symlinkSync(path.join(dir, name), path.join(halves[i % 2], name)));
  fs.writeFileSync(stamp, "");
  return halves;
}

/** Runs one scan under measure.js; resolves with its alerts, CPU milliseconds and peak memory. */
function scan(dir, rules) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...NODE_FLAGS, MEASURE, DETECTOR, "scan", "--workers", "1", "--rules", rules, dir], { stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let err = "";
    child.stdout.on("data", (d) => (out += d));
    child.stderr.on("data", (d) => (err += d));
    child.on("error", reject);
    child.on("close", (code) => {
      if (code !== 0) return reject(new Error(`scan of ${dir} exited ${code}: ${err.slice(-1000)}`));
      resolve({ out, cpuMs: Number(/bench-cpu-ms=(\d+)/.exec(err)?.[1] ?? NaN), rssKb: Number(/bench-maxrss-kb=(\d+)/.exec(err)?.[1] ?? NaN) });
    });
  });
}

async function main() {
  const [dir, rules] = process.argv.slice(2);
  const started = process.hrtime.bigint();
  const results = await Promise.all(halvesOf(path.resolve(dir)).map((h) => scan(h, rules)));
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  for (const r of results) process.stdout.write(r.out);
  const sum = (of) => results.reduce((n, r) => n + of(r), 0);
  process.stderr.write(`\nbench-seconds=${seconds.toFixed(3)}\nbench-children-cpu-ms=${sum((r) => r.cpuMs)}\nbench-children-maxrss-kb=${sum((r) => r.rssKb)}\n`);
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
