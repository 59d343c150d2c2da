import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { SOURCES } from "./catalog";
import { cloneSource, datasetsPath, DATASETS_ENV, extractSource, sourceDir, sourceStatus, type Source } from "./sources";
import { repoRoot } from "../sharedData";

const USAGE = `Usage: npm run datasets:fetch -- [--only SOURCE]... [--git-dir SOURCE=DIR]... [--check]

Fetches the public CloudTrail data sets that npm run coverage:rules measures (docs/datasets.md) into
the data sets folder ($${DATASETS_ENV}, default ../datasets next to the repository), one folder per
source, each file byte for byte as committed at the pinned commit, and checks each source's digest.
Nothing is written into the repository.

  --only SOURCE        fetch only this source (repeatable): ${SOURCES.map((s) => s.id).join(", ")}
  --git-dir SOURCE=DIR read SOURCE from an existing clone (a git directory) instead of cloning it
  --check              fetch nothing; say which sources are present, absent or changed`;

interface Options {
  only: string[];
  gitDirs: Map<string, string>;
  check: boolean;
}

function parse(argv: string[]): Options | string {
  const o: Options = { only: [], gitDirs: new Map(), check: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === "--check") o.check = true;
    else if (a === "--only" || a === "--git-dir") {
      const v = argv[++i];
      if (!v) return `${a} needs a value`;
      if (a === "--only") o.only.push(v);
      else {
        const eq = v.indexOf("=");
        if (eq < 1) return `--git-dir takes SOURCE=DIR, not '${v}'`;
        o.gitDirs.set(v.slice(0, eq), v.slice(eq + 1));
      }
    } else return `unknown argument '${a}'`;
  }
  const known = new Set(SOURCES.map((s) => s.id));
  const unknown = [...o.only, ...o.gitDirs.keys()].filter((id) => !known.has(id));
  if (unknown.length) return `unknown source ${unknown.map((u) => `'${u}'`).join(", ")}; the sources are ${[...known].join(", ")}`;
  return o;
}

function fetchOne(source: Source, datasets: string, gitDir: string | undefined): string {
  let tmp: string | undefined;
  try {
    const dir = gitDir ?? cloneSource(source, (tmp = fs.mkdtempSync(path.join(os.tmpdir(), `s3guard-${source.id}-`))));
    const { files, digest } = extractSource(dir, source, datasets);
    if (digest !== source.digest) {
      fs.rmSync(sourceDir(datasets, source), { recursive: true, force: true });
      throw new Error(`${source.id}: digest ${digest} is not the pinned ${source.digest}; the files were removed`);
    }
    return `${source.id}: ${files} file(s) from ${source.repo}@${source.commit.slice(0, 12)}, digest ok`;
  } finally {
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  }
}

function main(argv: string[]): number {
  if (argv.includes("-h") || argv.includes("--help")) {
    process.stdout.write(USAGE + "\n");
    return 0;
  }
  const o = parse(argv);
  if (typeof o === "string") {
    process.stderr.write(`${o}\n\n${USAGE}\n`);
    return 2;
  }
  const datasets = datasetsPath(repoRoot(__dirname));
  const chosen = SOURCES.filter((s) => o.only.length === 0 || o.only.includes(s.id));
  let failed = 0;
  for (const s of chosen) {
    const status = sourceStatus(datasets, s);
    if (o.check || status === "ok") {
      process.stdout.write(`${s.id}: ${status}${status === "changed" ? " (the files differ from the pinned digest: fetch again)" : ""}\n`);
      if (o.check && status !== "ok") failed++;
      continue;
    }
    try {
      fs.mkdirSync(datasets, { recursive: true });
      process.stdout.write(fetchOne(s, datasets, o.gitDirs.get(s.id)) + "\n");
    } catch (e) {
      failed++;
      process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
    }
  }
  process.stdout.write(`Data sets folder: ${datasets}\n`);
  return failed ? 1 : 0;
}

process.exitCode = main(process.argv.slice(2));
