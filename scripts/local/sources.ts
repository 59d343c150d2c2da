import { existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { gzipSync } from "node:zlib";
import { REPO_ROOT } from "./localAws";
import { syntheticRecords } from "./syntheticTrail";

/** A source given on the command line that cannot be used: said before anything is started. */
export class SourceError extends Error {}

function statOf(p: string): ReturnType<typeof statSync> | undefined {
  try {
    return statSync(p);
  } catch {
    return undefined;
  }
}

/** Whether a folder holds, at any depth, a file whose name `wanted` accepts. */
function holds(dir: string, wanted: (name: string) => boolean): boolean {
  return readdirSync(dir, { recursive: true, encoding: "utf8" }).some((f) => wanted(path.basename(f)) && statOf(path.join(dir, f))?.isFile());
}

/** The rules folder (or file) to use: the one given, else the repository's rules/. */
export function rulesFolder(given?: string): { dir: string; note?: string } {
  const dir = given ? path.resolve(given) : path.join(REPO_ROOT, "rules");
  const stat = statOf(dir);
  if (!stat) throw new SourceError(`--rules ${given}: no such file or folder (give a rules file, or a folder of *.yaml rules files such as rules/)`);
  if (stat.isDirectory() && !readdirSync(dir).some((n) => /\.ya?ml$/i.test(n))) throw new SourceError(`--rules ${given ?? dir}: the folder holds no .yaml or .yml rules file`);
  return { dir };
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
  const dir = given ? path.resolve(given) : path.join(REPO_ROOT, "samples");
  const stat = statOf(dir);
  if (!stat?.isDirectory()) throw new SourceError(`--samples ${given}: ${stat ? "not a folder" : "no such folder"} (give a folder of CloudTrail log files, *.json or *.json.gz, such as samples/)`);
  if (!holds(dir, (n) => /\.json(\.gz)?$/i.test(n))) throw new SourceError(`--samples ${given ?? dir}: the folder holds no CloudTrail log file (*.json or *.json.gz)`);
  return { dir };
}
