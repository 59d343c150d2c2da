// @ts-check
"use strict";
/**
 * The benchmark corpus: real CloudTrail records from the shared data, replicated (with fresh
 * event ids) into gzip CloudTrail files of 1,000 records, as a trail delivers them.
 */
const fs = require("node:fs");
const path = require("node:path");
const zlib = require("node:zlib");

const REPO = path.resolve(__dirname, "..", "..");
// The one shared-data setting, as compiled by `npm run build`.
const { sharedDataDir } = require(path.join(REPO, "scripts", "dist", "sharedData.js"));

/** Every real record of the shared data that the cloudtrail plugin would emit. */
function realRecords(shared) {
  const records = [];
  const add = (file) => {
    const doc = JSON.parse(fs.readFileSync(file, "utf8"));
    for (const r of Array.isArray(doc) ? doc : doc.Records) records.push(r);
  };
  const invictus = path.join(shared, "invictus-ir-aws-dataset", "raw", "CloudTrail");
  for (const f of fs.readdirSync(invictus).sort()) add(path.join(invictus, f));
  const stratus = path.join(shared, "stratus-red-team", "raw", "docs", "detonation-logs");
  for (const f of fs.readdirSync(stratus).sort()) add(path.join(stratus, f));
  add(path.join(shared, "falco", "alice_start_instances.json"));
  return records;
}

/**
 * Writes (once) `count` records as gzip files under `dir` and returns the directory and how many
 * records it holds.
 */
function buildCorpus(dir, count) {
  const shared = sharedDataDir();
  if (!shared) throw new Error("the benchmark needs the shared data (set S3GUARD_SHARED_DATA)");
  const stamp = path.join(dir, `corpus-${count}.done`);
  const files = path.join(dir, `corpus-${count}`);
  if (fs.existsSync(stamp)) return { dir: files, records: count };
  fs.rmSync(files, { recursive: true, force: true });
  fs.mkdirSync(files, { recursive: true });
  const source = realRecords(shared);
  const perFile = 1000;
  let written = 0;
  for (let n = 0; written < count; n++) {
    const batch = [];
    for (let i = 0; i < perFile && written < count; i++, written++) {
      const r = source[written % source.length];
      batch.push(typeof r.eventID === "string" ? { ...r, eventID: `${r.eventID}-${Math.floor(written / source.length)}` } : r);
    }
    const name = `123456789012_CloudTrail_us-east-1_20240501T${String(n).padStart(4, "0")}Z_bench.json.gz`;
    fs.writeFileSync(path.join(files, name), zlib.gzipSync(JSON.stringify({ Records: batch })));
  }
  fs.writeFileSync(stamp, "");
  return { dir: files, records: count };
}

/** Falco's rules and `times` copies of each rule under another name, as one rules folder. */
function multipliedRules(dir, times) {
  const shared = sharedDataDir();
  const falco = fs.readFileSync(path.join(/** @type {string} */ (shared), "falco", "aws_cloudtrail_rules.yaml"), "utf8");
  const out = path.join(dir, `rules-x${times}`);
  fs.rmSync(out, { recursive: true, force: true });
  fs.mkdirSync(out, { recursive: true });
  fs.writeFileSync(path.join(out, "00-falco.yaml"), falco);
  for (let i = 1; i < times; i++) {
    const copy = falco.replace(/^- rule: (.*)$/gm, `- rule: $1 (copy ${i})`);
    fs.writeFileSync(path.join(out, `${String(i).padStart(2, "0")}-copy.yaml`), copy);
  }
  return out;
}

module.exports = { REPO, sharedDataDir, buildCorpus, multipliedRules };
