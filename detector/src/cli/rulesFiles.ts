import { existsSync, promises as fs } from "node:fs";
import * as path from "node:path";
import { formatSize, RULES_LIMITS, type LoadMessage, type RulesFile } from "../engine";

/**
 * The rules bundled with the command: `S3GUARD_BUNDLED_RULES` when set (the container), else the
 * package's own `rules/` (an installed package carries a copy), else the repository's `rules/`.
 */
export function bundledRulesDir(): string {
  if (process.env.S3GUARD_BUNDLED_RULES) return process.env.S3GUARD_BUNDLED_RULES;
  const packaged = path.resolve(__dirname, "..", "..", "rules");
  return existsSync(packaged) ? packaged : path.resolve(__dirname, "..", "..", "..", "rules");
}

function isRulesFileName(name: string): boolean {
  return /\.ya?ml$/i.test(name) && !name.startsWith(".");
}

/**
 * Rules files from `--rules` arguments, in the order given: a file as is, a folder as its own
 * `*.yaml`/`*.yml` files in name order (not its subfolders, so `rules/tests/` is never loaded).
 */
export async function readRulesFiles(paths: readonly string[]): Promise<RulesFile[]> {
  const files: RulesFile[] = [];
  for (const p of paths) {
    let stat;
    try {
      stat = await fs.stat(p);
    } catch {
      throw new Error(`${p}: no such rules file or folder`);
    }
    if (stat.isDirectory()) {
      const names = (await fs.readdir(p, { withFileTypes: true }))
        .filter((e) => (e.isFile() || e.isSymbolicLink()) && isRulesFileName(e.name))
        .map((e) => e.name)
        .sort();
      if (names.length === 0) throw new Error(`${p}: the folder holds no .yaml or .yml rules file`);
      for (const n of names) files.push({ name: path.join(p, n), content: await readSized(path.join(p, n)) });
    } else {
      files.push({ name: p, content: await readSized(p, stat.size) });
    }
  }
  return files;
}

/**
 * Deployment context files (`--context`): read whole, marked so that the engine applies them after
 * every rules file (see RulesFile.context).
 */
export async function readContextFiles(paths: readonly string[]): Promise<RulesFile[]> {
  const files: RulesFile[] = [];
  for (const p of paths) {
    let stat;
    try {
      stat = await fs.stat(p);
    } catch {
      throw new Error(`${p}: no such context file`);
    }
    if (stat.isDirectory()) throw new Error(`${p}: --context takes a file (context/s3guard-context.yaml from the rules bucket), not a folder`);
    files.push({ name: p, content: await readSized(p, stat.size), context: true });
  }
  return files;
}

/** A rules file's text; one too large to be rules is refused before it is read. */
async function readSized(file: string, size?: number): Promise<string> {
  const bytes = size ?? (await fs.stat(file)).size;
  if (bytes > RULES_LIMITS.fileBytes) {
    throw new Error(`${file}: ${formatSize(bytes)} is more than a rules file may be (${formatSize(RULES_LIMITS.fileBytes)}); split it into several files`);
  }
  return fs.readFile(file, "utf8");
}

/**
 * Why loaded rules would evaluate nothing, when no rule applies to CloudTrail (a folder of
 * syscall rules, lists only): such a load is an error, not an empty scan that looks clean.
 */
export function noCloudTrailRule(rules: number, warnings: readonly LoadMessage[]): string | undefined {
  if (rules > 0) return undefined;
  const otherSources = warnings.filter((w) => w.code === "LOAD_UNKNOWN_SOURCE").length;
  const skipped = otherSources ? `; ${otherSources} rule(s) of other sources were skipped (see the warnings)` : "";
  return `no rule applies to CloudTrail${skipped}: CloudTrail rules have 'source: aws_cloudtrail'`;
}
