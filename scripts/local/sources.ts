import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { gzipSync } from "node:zlib";
import { REPO_ROOT } from "./localAws";
import { syntheticRecords } from "./syntheticTrail";

/** The rules folder to use: the one given, else the repository's rules/. */
export function rulesFolder(given?: string): { dir: string; note?: string } {
  return { dir: given ? path.resolve(given) : path.join(REPO_ROOT, "rules") };
}

/** Writes `files` gzip CloudTrail files of `records` records each under `dir` (kept if already there). */
export function syntheticCorpus(dir: string, files: number, records: number): string {
  mkdirSync(dir, { recursive: true });
  const start = new Date(Date.now() - 3600 * 1000);
  for (let i = 0; i < files; i++) {
    const name = path.join(dir, `123456789012_CloudTrail_us-east-1_synthetic_${String(i).padStart(5, "0")}.json.gz`);
    if (existsSync(name)) continue;
    writeFileSync(name, gzipSync(JSON.stringify({ Records: syntheticRecords(records, `f${i}`, 50, new Date(start.getTime() + i * 60_000)) })));
  }
  return dir;
}

/** The samples folder to deliver: the one given, else the repository's samples/. */
export function samplesFolder(given?: string): { dir: string; note?: string } {
  return { dir: given ? path.resolve(given) : path.join(REPO_ROOT, "samples") };
}
