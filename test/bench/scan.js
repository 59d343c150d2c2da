// @ts-check
"use strict";
/**
 * `npm run bench`: scan throughput on at least 200,000 real CloudTrail records, as gzip files.
 * Three commands run in turn on the same input, several times each; the medians are compared:
 *   parse only   read + gunzip + JSON.parse, nothing else (the floor any scanner pays)
 *   scan x1      `s3guard scan` with Falco's aws_cloudtrail_rules.yaml
 *   scan x10     the same with ten times as many rules (Falco's rules copied under other names)
 * Settings: BENCH_RECORDS (default 200000), BENCH_RUNS (default 3), BENCH_DIR (default .bench/).
 * Further figures come from `extra-*.js` files here, each exporting
 * `(corpus, workDir) => {name, script, args}`; they are timed against the same input.
 */
const { spawnSync } = require("node:child_process");
const path = require("node:path");
const fs = require("node:fs");
const { REPO, buildCorpus, multipliedRules, sharedDataDir } = require("./corpus");

const RECORDS = Number(process.env.BENCH_RECORDS ?? 200000);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const WORK = path.resolve(process.env.BENCH_DIR ?? path.join(REPO, ".bench"));
const MEASURE = path.join(__dirname, "measure.js");
const DETECTOR = path.join(REPO, "detector", "bin", "s3guard.js");

/** Runs one command under measure.js; returns wall seconds and peak memory. */
function timed(script, args) {
  const start = process.hrtime.bigint();
  const r = spawnSync(process.execPath, [MEASURE, script, ...args], { encoding: "utf8", maxBuffer: 1 << 30 });
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  if (r.status !== 0) throw new Error(`${path.basename(script)} ${args.join(" ")} exited ${r.status}:\n${r.stderr.slice(-2000)}`);
  const rss = /bench-maxrss-kb=(\d+)/.exec(r.stderr);
  return { seconds, maxRssMb: rss ? Number(rss[1]) / 1024 : NaN, stdout: r.stdout };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function main() {
  if (!sharedDataDir()) {
    console.log("npm run bench: the shared data was not found (set S3GUARD_SHARED_DATA); nothing measured.");
    return;
  }
  fs.mkdirSync(WORK, { recursive: true });
  const corpus = buildCorpus(WORK, RECORDS);
  const falco = path.join(/** @type {string} */ (sharedDataDir()), "falco", "aws_cloudtrail_rules.yaml");
  const x10 = multipliedRules(WORK, 10);

  /** @type {{name: string, script: string, args: string[]}[]} */
  const commands = [
    { name: "parse only (read+gunzip+JSON.parse)", script: path.join(__dirname, "parseOnly.js"), args: [corpus.dir] },
    { name: "s3guard scan, Falco's rules (22)", script: DETECTOR, args: ["scan", "--rules", falco, corpus.dir] },
    { name: "s3guard scan, 10x the rules (220)", script: DETECTOR, args: ["scan", "--rules", x10, corpus.dir] },
  ];
  for (const f of fs.readdirSync(__dirname).filter((n) => /^extra-.*\.js$/.test(n)).sort()) {
    commands.push(require(path.join(__dirname, f))(corpus, WORK));
  }

  // Warm the file cache, then alternate the commands so drift affects all alike.
  timed(commands[0].script, commands[0].args);
  const results = commands.map(() => /** @type {{seconds: number, maxRssMb: number}[]} */ ([]));
  for (let run = 0; run < RUNS; run++) commands.forEach((c, i) => results[i].push(timed(c.script, c.args)));

  const rows = commands.map((c, i) => {
    const secs = median(results[i].map((r) => r.seconds));
    return { name: c.name, secs, rate: corpus.records / secs, rss: median(results[i].map((r) => r.maxRssMb)), spread: [Math.min(...results[i].map((r) => r.seconds)), Math.max(...results[i].map((r) => r.seconds))] };
  });
  console.log(`\n${corpus.records} records in ${fs.readdirSync(corpus.dir).length} gzip files; median of ${RUNS} runs each (whole process, Node ${process.version})\n`);
  const w = Math.max(...rows.map((r) => r.name.length));
  console.log(`${"".padEnd(w)}   events/s    seconds (min-max)     peak RSS`);
  for (const r of rows) {
    console.log(`${r.name.padEnd(w)}  ${Math.round(r.rate).toString().padStart(9)}    ${r.secs.toFixed(2)} (${r.spread[0].toFixed(2)}-${r.spread[1].toFixed(2)})    ${r.rss.toFixed(0)} MB`);
  }
  const [parse, x1, x10r] = rows;
  console.log(`\nscan rate / parse-only rate:       ${(x1.rate / parse.rate).toFixed(2)}   (aim >= 0.80)`);
  console.log(`10x rules time / Falco rules time: ${(x10r.secs / x1.secs).toFixed(2)}   (aim < 1.50)`);
  for (const r of rows.slice(3)) console.log(`${r.name} time / Falco rules time: ${(r.secs / x1.secs).toFixed(2)}`);
}

main();
