// @ts-check
"use strict";
/**
 * The baseline: what any scanner must do at least — read each file, gunzip it, JSON.parse it
 * and touch every record — and nothing else. Prints the record count.
 *
 * `parseOnly.js DIR [THREADS] [latin1]`: with THREADS > 1 the files are shared among this thread
 * and THREADS - 1 worker threads (file i to thread i mod THREADS): what the same work gains from
 * more threads on this machine, the ceiling of any parallel scan. Text is decoded as UTF-8, as the
 * floor was defined; `latin1` decodes pure-ASCII text as Latin-1 instead, as the scan does
 * (ingest/decode.ts textOf): the lower floor that trick gives any scanner.
 */
const fs = require("node:fs");
const path = require("node:path");
const zlib = require("node:zlib");
const { isAscii } = require("node:buffer");
const { Worker, isMainThread, workerData, parentPort } = require("node:worker_threads");

/** Records of the files numbered `part` modulo `of`. */
function countPart(dir, part, of, latin1) {
  let records = 0;
  const names = fs.readdirSync(dir).sort();
  for (let i = part; i < names.length; i += of) {
    const bytes = zlib.gunzipSync(fs.readFileSync(path.join(dir, names[i])));
    const text = latin1 && isAscii(bytes) ? bytes.toString("latin1") : bytes.toString("utf8");
    const doc = JSON.parse(text);
    for (const r of doc.Records) if (r && typeof r === "object") records++;
  }
  return records;
}

if (isMainThread) {
  const dir = process.argv[2];
  const threads = Math.max(1, Number(process.argv[3] ?? 1));
  const latin1 = process.argv[4] === "latin1";
  const others = Array.from({ length: threads - 1 }, (_, k) => {
    const w = new Worker(__filename, { workerData: { dir, part: k + 1, of: threads, latin1 } });
    return new Promise((resolve, reject) => {
      w.once("message", resolve);
      w.once("error", reject);
    });
  });
  const mine = countPart(dir, 0, threads, latin1);
  Promise.all(others).then((counts) => process.stdout.write(`${counts.reduce((a, b) => a + Number(b), mine)}\n`));
} else {
  parentPort?.postMessage(countPart(workerData.dir, workerData.part, workerData.of, workerData.latin1));
}
