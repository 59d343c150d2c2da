// @ts-check
"use strict";
/**
 * The baseline: what any scanner must do at least — read each file, gunzip it, JSON.parse it
 * and touch every record — and nothing else. Prints the record count.
 */
const fs = require("node:fs");
const path = require("node:path");
const zlib = require("node:zlib");

const dir = process.argv[2];
let records = 0;
for (const name of fs.readdirSync(dir).sort()) {
  const text = zlib.gunzipSync(fs.readFileSync(path.join(dir, name))).toString("utf8");
  const doc = JSON.parse(text);
  for (const r of doc.Records) if (r && typeof r === "object") records++;
}
process.stdout.write(`${records}\n`);
