// @ts-check
"use strict";
/**
 * `npm run bench`: scan throughput against the floor any scanner pays (read + gunzip + JSON.parse),
 * measured in the same run on the same input, so the ratios hold on a busy machine. The floor
 * decodes text as UTF-8, as the aims were set; a second floor reads pure-ASCII text as Latin-1, as
 * the scan does, and the scan's ratios are given against both.
 *
 * Two inputs of BENCH_RECORDS records (default 200,000) in gzip CloudTrail files of 1,000:
 *   mixed   the real records of the shared data, replicated with fresh event ids
 *   s3      skewed S3 data-event traffic: a few busy roles, many objects (s3Traffic.js)
 * Each is scanned with the bundled rules (stateful ones included, state in memory), with one worker
 * and with two (their alerts compared), beside the floor's own work split over two threads and two
 * independent one-worker scans at once, each on half the files (halves.js): what a second core
 * gives at most to the floor's work and to the whole scan's on this machine. The mixed input is
 * also scanned with Falco's rules and ten times as many. DynamoDB state is
 * measured on the first 20,000 S3 records through dynalite behind a proxy that delays every call
 * by 5 ms (dynamoScan.js), with its alerts compared to memory state's.
 * Every command runs BENCH_RUNS times (default 3), interleaved; medians are shown, with the CPU
 * time the process used (all its threads): on a shared machine the wall time of parallel work
 * depends on what else runs, its CPU time much less. Then, on four times the S3 input, one worker,
 * two workers and two scans on halves, interleaved as above, and peak memory against the input once
 * as large (see fourTimes).
 * BENCH_ONLY=regex keeps the rows whose names match (the floors always run); BENCH_DIR sets where
 * the inputs are written (default .bench/). Further rows come from `extra-*.js` files here, each
 * exporting `(corpus, workDir) => {name, script, args}` (timed on the mixed input).
 */
const { spawnSync } = require("node:child_process");
const os = require("node:os");
const path = require("node:path");
const fs = require("node:fs");
const { REPO, buildCorpus, multipliedRules, sharedDataDir } = require("./corpus");
const { buildS3Corpus } = require("./s3Traffic");

const RECORDS = Number(process.env.BENCH_RECORDS ?? 200000);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const ONLY = process.env.BENCH_ONLY ? new RegExp(process.env.BENCH_ONLY, "i") : undefined;
const WORK = path.resolve(process.env.BENCH_DIR ?? path.join(REPO, ".bench"));
const MEASURE = path.join(__dirname, "measure.js");
const DETECTOR = path.join(REPO, "detector", "bin", "s3guard.js");
const BUNDLED = path.join(REPO, "rules");
const DYNAMO_RECORDS = Math.min(20000, RECORDS);

/** Node's flags as the command's launcher gives them: every command here, the floors included, runs with them. */
const { NODE_FLAGS } = require(path.join(REPO, "detector", "dist", "launcher.js"));

/**
 * Runs one command under measure.js; returns wall seconds (or the seconds the command reports for
 * itself as `bench-seconds=`), peak memory, its output and any note it prints as `bench-note=`.
 */
function timed(script, args) {
  const start = process.hrtime.bigint();
  const r = spawnSync(process.execPath, [...NODE_FLAGS, MEASURE, script, ...args], { encoding: "utf8", maxBuffer: 1 << 30 });
  const wall = Number(process.hrtime.bigint() - start) / 1e9;
  if (r.status !== 0) throw new Error(`${path.basename(script)} ${args.join(" ")} exited ${r.status}:\n${r.stderr.slice(-2000)}`);
  // A command that runs others reports theirs (see halves.js).
  const rss = /bench-children-maxrss-kb=(\d+)/.exec(r.stderr) ?? /bench-maxrss-kb=(\d+)/.exec(r.stderr);
  const own = /bench-seconds=([\d.]+)/.exec(r.stderr);
  const note = /bench-note=(.*)/.exec(r.stderr);
  const cpu = /bench-cpu-ms=(\d+)/.exec(r.stderr);
  const children = /bench-children-cpu-ms=(\d+)/.exec(r.stderr);
  return { seconds: own ? Number(own[1]) : wall, maxRssMb: rss ? Number(rss[1]) / 1024 : NaN, cpuSeconds: cpu ? (Number(cpu[1]) + Number(children?.[1] ?? 0)) / 1000 : NaN, stdout: r.stdout, note: note?.[1] };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const sortedLines = (text) => text.split("\n").filter(Boolean).sort().join("\n");

function main() {
  if (!sharedDataDir()) {
    console.log("npm run bench: the shared data was not found (set S3GUARD_SHARED_DATA); nothing measured.");
    return;
  }
  fs.mkdirSync(WORK, { recursive: true });
  const mixed = buildCorpus(WORK, RECORDS);
  const s3 = buildS3Corpus(WORK, RECORDS);
  const s3Small = buildS3Corpus(WORK, DYNAMO_RECORDS);
  const falco = path.join(/** @type {string} */ (sharedDataDir()), "falco", "aws_cloudtrail_rules.yaml");
  const scan = (dir, ...more) => ({ script: DETECTOR, args: ["scan", "--rules", BUNDLED, ...more, dir] });
  const halves = (dir) => ({ script: path.join(__dirname, "halves.js"), args: [dir, BUNDLED] });

  /** @type {{name: string, script: string, args: string[], records: number, floor?: boolean, of?: string}[]} */
  const commands = [
    { name: "mixed: parse only (floor)", script: path.join(__dirname, "parseOnly.js"), args: [mixed.dir], records: mixed.records, floor: true },
    { name: "mixed: parse only, 2 threads", script: path.join(__dirname, "parseOnly.js"), args: [mixed.dir, "2"], records: mixed.records, floor: true },
    { name: "mixed: parse only, ASCII read as Latin-1", script: path.join(__dirname, "parseOnly.js"), args: [mixed.dir, "1", "latin1"], records: mixed.records, floor: true },
    { name: "mixed: Falco's rules (22)", script: DETECTOR, args: ["scan", "--workers", "1", "--rules", falco, mixed.dir], records: mixed.records },
    { name: "mixed: 10x Falco's rules (220)", script: DETECTOR, args: ["scan", "--workers", "1", "--rules", multipliedRules(WORK, 10), mixed.dir], records: mixed.records },
    { name: "mixed: bundled rules", ...scan(mixed.dir, "--workers", "1"), records: mixed.records },
    { name: "mixed: bundled rules, 2 workers", ...scan(mixed.dir, "--workers", "2"), records: mixed.records },
    { name: "mixed: two 1-worker scans on halves", ...halves(mixed.dir), records: mixed.records },
    { name: "s3: parse only (floor)", script: path.join(__dirname, "parseOnly.js"), args: [s3.dir], records: s3.records, floor: true },
    { name: "s3: parse only, 2 threads", script: path.join(__dirname, "parseOnly.js"), args: [s3.dir, "2"], records: s3.records, floor: true },
    { name: "s3: parse only, ASCII read as Latin-1", script: path.join(__dirname, "parseOnly.js"), args: [s3.dir, "1", "latin1"], records: s3.records, floor: true },
    { name: "s3: bundled rules", ...scan(s3.dir, "--workers", "1"), records: s3.records },
    { name: "s3: bundled rules, 2 workers", ...scan(s3.dir, "--workers", "2"), records: s3.records },
    { name: "s3: two 1-worker scans on halves", ...halves(s3.dir), records: s3.records },
    { name: `s3 (${DYNAMO_RECORDS / 1000}k): bundled rules, DynamoDB state at 5 ms a call`, script: path.join(__dirname, "dynamoScan.js"), args: [s3Small.dir, "5"], records: s3Small.records },
  ];
  for (const f of fs.readdirSync(__dirname).filter((n) => /^extra-.*\.js$/.test(n)).sort()) {
    commands.push({ ...require(path.join(__dirname, f))(mixed, WORK), records: mixed.records });
  }
  const chosen = commands.filter((c) => c.floor || !ONLY || ONLY.test(c.name));

  // Warm the file cache, then alternate the commands so drift affects all alike.
  timed(chosen[0].script, chosen[0].args);
  const load = [os.loadavg()[0]];
  const results = chosen.map(() => /** @type {ReturnType<typeof timed>[]} */ ([]));
  for (let run = 0; run < RUNS; run++) {
    chosen.forEach((c, i) => results[i].push(timed(c.script, c.args)));
    load.push(os.loadavg()[0]);
  }

  const rows = chosen.map((c, i) => {
    const secs = median(results[i].map((r) => r.seconds));
    const times = results[i].map((r) => r.seconds);
    return { name: c.name, secs, rate: c.records / secs, best: c.records / Math.min(...times), cpu: median(results[i].map((r) => r.cpuSeconds)), rss: median(results[i].map((r) => r.maxRssMb)), spread: [Math.min(...times), Math.max(...times)], out: results[i][0].stdout, note: results[i].find((r) => r.note)?.note };
  });
  const row = (prefix) => rows.find((r) => r.name.startsWith(prefix));
  console.log(`\n${RECORDS} records per input in gzip files of 1,000; median of ${RUNS} runs each (whole process, Node ${process.version}${NODE_FLAGS.length ? ` ${NODE_FLAGS.join(" ")}` : ""}, ${os.cpus().length} cores, load average ${load.map((l) => l.toFixed(1)).join(" ")})\n`);
  const w = Math.max(...rows.map((r) => r.name.length));
  console.log(`${"".padEnd(w)}   records/s   seconds (min-max)     CPU s   peak RSS`);
  for (const r of rows) {
    console.log(`${r.name.padEnd(w)}  ${Math.round(r.rate).toString().padStart(9)}    ${r.secs.toFixed(2)} (${r.spread[0].toFixed(2)}-${r.spread[1].toFixed(2)})    ${r.cpu.toFixed(2).padStart(6)}   ${r.rss.toFixed(0)} MB${r.note ? `   ${r.note}` : ""}`);
  }

  // Medians, and the fastest runs: on a busy host a run is only ever slowed down, so the fastest runs
  // of two commands compare their own costs best when the medians move with the neighbours.
  const ratio = (label, a, b, aim) => {
    if (a && b) console.log(`${label.padEnd(52)} ${(a.rate / b.rate).toFixed(2).padStart(5)}   ${(a.best / b.best).toFixed(2).padStart(5)}${aim ? `   (aim ${aim})` : ""}`);
  };
  console.log(`\n${"".padEnd(52)} median fastest`);
  const floorMixed = row("mixed: parse only");
  const floorS3 = row("s3: parse only");
  ratio("mixed, Falco's rules / floor", row("mixed: Falco"), floorMixed, ">= 0.80");
  ratio("mixed, 10x Falco's rules time / Falco's rules time", row("mixed: Falco"), row("mixed: 10x"), "<= 1.50");
  ratio("mixed, bundled rules / floor", row("mixed: bundled rules"), floorMixed, ">= 0.50");
  ratio("s3, bundled rules / floor", row("s3: bundled rules"), floorS3, ">= 0.35");
  // The scan reads pure-ASCII text as Latin-1 (ingest/decode.ts): against a floor that does the same.
  ratio("mixed, bundled rules / floor reading ASCII as Latin-1", row("mixed: bundled rules"), row("mixed: parse only, ASCII"));
  ratio("s3, bundled rules / floor reading ASCII as Latin-1", row("s3: bundled rules"), row("s3: parse only, ASCII"));
  ratio("mixed, 2 workers / 1 worker", row("mixed: bundled rules, 2"), row("mixed: bundled rules"), ">= 1.60");
  ratio("s3, 2 workers / 1 worker", row("s3: bundled rules, 2"), row("s3: bundled rules"), ">= 1.60");
  // What the floor's own work gains from a second thread here: no parallel scan gains more.
  ratio("mixed, floor in 2 threads / 1 thread (ceiling)", row("mixed: parse only, 2"), floorMixed);
  ratio("s3, floor in 2 threads / 1 thread (ceiling)", row("s3: parse only, 2"), floorS3);
  // The same for the whole scan's work: two scans that share nothing, on half the input each.
  ratio("mixed, two scans on halves / 1 worker (ceiling)", row("mixed: two"), row("mixed: bundled rules"));
  ratio("s3, two scans on halves / 1 worker (ceiling)", row("s3: two"), row("s3: bundled rules"));
  for (const [a, b] of [["mixed: bundled rules, 2", "mixed: bundled rules"], ["s3: bundled rules, 2", "s3: bundled rules"]]) {
    if (row(a) && row(b) && sortedLines(row(a).out) !== sortedLines(row(b).out)) console.log(`${a} workers: alerts DIFFERENT FROM one worker's`);
  }
  const dynamo = row("s3 (");
  if (dynamo) console.log(`${"s3, DynamoDB state at 5 ms, records/s".padEnd(52)} ${Math.round(dynamo.rate)}   (aim >= 2000)`);
  for (const r of rows.filter((r) => r.name.startsWith("s3guard scan"))) ratio(`${r.name} / floor`, r, floorMixed);

  if (!ONLY || ONLY.test("memory") || ONLY.test("four")) fourTimes(halves);
}

/**
 * The bundled rules on four times the S3 input: peak memory against the input once as large (one
 * run), and one worker, two workers and two scans on halves, interleaved BENCH_RUNS times. A scan
 * this long is closer to a connector's steady state: what every thread pays once (start, rules
 * load, the compiler warming up) weighs a quarter as much as on the main input.
 */
function fourTimes(halves) {
  const one = buildS3Corpus(WORK, RECORDS);
  const four = buildS3Corpus(WORK, RECORDS * 4);
  const base = timed(DETECTOR, ["scan", "--workers", "1", "--rules", BUNDLED, one.dir]);
  const commands = [
    { name: "1 worker", script: DETECTOR, args: ["scan", "--workers", "1", "--rules", BUNDLED, four.dir] },
    { name: "2 workers", script: DETECTOR, args: ["scan", "--workers", "2", "--rules", BUNDLED, four.dir] },
    { name: "two 1-worker scans on halves", ...halves(four.dir) },
  ];
  const results = commands.map(() => /** @type {ReturnType<typeof timed>[]} */ ([]));
  for (let run = 0; run < RUNS; run++) commands.forEach((c, i) => results[i].push(timed(c.script, c.args)));
  const secs = results.map((rs) => rs.map((r) => r.seconds));
  console.log(`\ns3 x4 (${four.records} records), median of ${RUNS} runs: ${commands.map((c, i) => `${c.name} ${median(secs[i]).toFixed(2)} s (CPU ${median(results[i].map((r) => r.cpuSeconds)).toFixed(2)} s)`).join(", ")}`);
  const ratio = (label, i, aim) => console.log(`${label.padEnd(52)} ${(median(secs[0]) / median(secs[i])).toFixed(2).padStart(5)}   ${(Math.min(...secs[0]) / Math.min(...secs[i])).toFixed(2).padStart(5)}${aim ? `   (aim ${aim})` : ""}`);
  console.log(`${"".padEnd(52)} median fastest`);
  ratio("s3 x4, 2 workers / 1 worker", 1, ">= 1.60");
  ratio("s3 x4, two scans on halves / 1 worker (ceiling)", 2);
  if (sortedLines(results[1][0].stdout) !== sortedLines(results[0][0].stdout)) console.log("s3 x4, 2 workers: alerts DIFFERENT FROM one worker's");
  const rss = median(results[0].map((r) => r.maxRssMb));
  console.log(`\npeak RSS, s3 bundled rules: ${base.maxRssMb.toFixed(0)} MB on ${one.records} records, ${rss.toFixed(0)} MB on ${four.records} (x${(rss / base.maxRssMb).toFixed(2)})`);
}

module.exports = { sortedLines };
if (require.main === module) main();
