import { existsSync, mkdirSync, readdirSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { gzipSync } from "node:zlib";
import { DEMO_RULES } from "./demoRules";
import { REPO_ROOT } from "./localAws";
import { syntheticRecords } from "./syntheticTrail";

/** The rules folder to use: the one given, else rules/, else the demo rules written to .bench/. */
export function rulesFolder(given?: string): { dir: string; note?: string } {
  if (given) return { dir: path.resolve(given) };
  const dir = path.join(REPO_ROOT, "rules");
  if (existsSync(dir) && readdirSync(dir).some((n) => /\.ya?ml$/i.test(n))) return { dir };
  const demo = path.join(REPO_ROOT, ".bench", "demo-rules");
  mkdirSync(demo, { recursive: true });
  writeFileSync(path.join(demo, "demo.yaml"), DEMO_RULES);
  return { dir: demo, note: "rules/ holds no rules files: using the demo rules" };
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

/** The samples folder to deliver: the one given, else samples/, else a small synthetic set. */
export function samplesFolder(given?: string): { dir: string; note?: string } {
  if (given) return { dir: path.resolve(given) };
  const dir = path.join(REPO_ROOT, "samples");
  if (existsSync(dir) && readdirSync(dir).length > 0) return { dir };
  return { dir: syntheticCorpus(path.join(REPO_ROOT, ".bench", "demo-samples"), 5, 200), note: "samples/ is empty or missing: delivering synthetic S3 traffic instead" };
}
