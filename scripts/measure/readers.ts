import * as fs from "node:fs";
import * as path from "node:path";
import type { CloudTrailRecord } from "./types";
import { unzip } from "./zip";

/** Readers of the shapes public data sets come in. Each returns records in file order. */

/** Every JSON file under `dir` whose name passes `keep`, in path order. */
export function filesUnder(dir: string, keep: (name: string) => boolean): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (keep(p)) out.push(p);
    }
  };
  walk(dir);
  return out;
}

/** Records of a CloudTrail log file (`{"Records": [...]}`), a JSON array, or one record. */
export function parseJsonRecords(text: string): CloudTrailRecord[] {
  const doc = JSON.parse(text) as unknown;
  if (Array.isArray(doc)) return doc as CloudTrailRecord[];
  if (doc && typeof doc === "object" && Array.isArray((doc as { Records?: unknown }).Records)) return (doc as { Records: CloudTrailRecord[] }).Records;
  return [doc as CloudTrailRecord];
}

/** Records of a JSON Lines text (blank lines skipped). */
export function parseJsonLines(text: string): CloudTrailRecord[] {
  return text
    .split("\n")
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as CloudTrailRecord);
}

export function readJsonFiles(files: readonly string[]): CloudTrailRecord[] {
  return files.flatMap((f) => parseJsonRecords(fs.readFileSync(f, "utf8")));
}

/** Records of every JSON Lines entry of a zip archive. */
export function readZippedJsonLines(file: string): CloudTrailRecord[] {
  return [...unzip(fs.readFileSync(file)).entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .flatMap(([, data]) => parseJsonLines(data.toString("utf8")));
}
