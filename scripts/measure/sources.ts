import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";

/**
 * A public repository whose files, at one commit, make up one or more data sets. Nothing is copied
 * into this repository: `npm run datasets:fetch` extracts the files into the data sets folder and
 * checks them against `digest`.
 */
export interface Source {
  id: string;
  /** GitHub owner/name. */
  repo: string;
  commit: string;
  licence: string;
  /** Which files of the commit: those under `under` whose names end with `endsWith`, or exactly `paths`. */
  select: { under: string; endsWith: string; except?: readonly string[] } | { paths: readonly string[] };
  /** sha256 of the selection's manifest (see `manifestDigest`). */
  digest: string;
  /** What the files are, in one sentence. */
  about: string;
}

export const DATASETS_ENV = "S3GUARD_DATASETS";

/** `$S3GUARD_DATASETS`, or `../datasets` next to the repository; relative values are taken from `root`. */
export function datasetsPath(root: string, env: NodeJS.ProcessEnv = process.env): string {
  return path.resolve(root, env[DATASETS_ENV] || path.join("..", "datasets"));
}

export function sourceDir(datasets: string, source: Source): string {
  return path.join(datasets, source.id);
}

export function selects(source: Source, file: string): boolean {
  const s = source.select;
  if ("paths" in s) return s.paths.includes(file);
  return file.startsWith(s.under) && file.endsWith(s.endsWith) && !(s.except ?? []).some((x) => file.includes(x));
}

function sha256(data: Buffer | string): string {
  return createHash("sha256").update(data).digest("hex");
}

/**
 * One digest for many files: sha256 of the lines `<sha256 of file>  <path>` in path order, as
 * `sha256sum` prints them, so `find . -type f | sort | xargs sha256sum | sha256sum` agrees.
 */
export function manifestDigest(dir: string, files: readonly string[]): string {
  const lines = [...files].sort().map((f) => `${sha256(fs.readFileSync(path.join(dir, f)))}  ./${f}\n`);
  return sha256(lines.join(""));
}

/** The files of `source` present under `dir`, relative, in path order. */
export function presentFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (rel: string) => {
    for (const e of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
      const p = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) walk(p);
      else if (e.isFile()) out.push(p);
    }
  };
  if (fs.existsSync(dir)) walk("");
  return out.sort();
}

/** Whether the source's files are in `datasets` and match its digest. */
export function sourceStatus(datasets: string, source: Source): "absent" | "ok" | "changed" {
  const dir = sourceDir(datasets, source);
  const files = presentFiles(dir);
  if (files.length === 0) return "absent";
  return manifestDigest(dir, files) === source.digest ? "ok" : "changed";
}

function git(gitDir: string, args: string[]): Buffer {
  return execFileSync("git", ["--git-dir", gitDir, ...args], { maxBuffer: 1 << 30 });
}

/** The files of the commit that the source selects, read from a local git directory. */
export function selectedFiles(gitDir: string, source: Source): string[] {
  const all = git(gitDir, ["ls-tree", "-r", "--name-only", source.commit]).toString("utf8").split("\n").filter(Boolean);
  return all.filter((f) => selects(source, f)).sort();
}

/**
 * Writes the source's files, byte for byte as committed, into `<datasets>/<source id>/` and returns
 * their manifest digest. The folder is replaced as a whole, so a failed extraction leaves nothing.
 */
export function extractSource(gitDir: string, source: Source, datasets: string): { files: number; digest: string } {
  const files = selectedFiles(gitDir, source);
  if (files.length === 0) throw new Error(`${source.repo} at ${source.commit} has none of the files of ${source.id}`);
  const target = sourceDir(datasets, source);
  const staging = `${target}.partial`;
  fs.rmSync(staging, { recursive: true, force: true });
  for (const f of files) {
    const out = path.join(staging, f);
    fs.mkdirSync(path.dirname(out), { recursive: true });
    fs.writeFileSync(out, git(gitDir, ["show", `${source.commit}:${f}`]));
  }
  const digest = manifestDigest(staging, files);
  fs.rmSync(target, { recursive: true, force: true });
  fs.renameSync(staging, target);
  return { files: files.length, digest };
}

/** Clones the source's repository (no work tree) into `into` and returns its git directory. */
export function cloneSource(source: Source, into: string): string {
  execFileSync("git", ["clone", "--quiet", "--bare", "--filter=blob:none", `https://github.com/${source.repo}.git`, into], { stdio: "inherit" });
  return into;
}
