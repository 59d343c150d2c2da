import { existsSync, promises as fs } from "node:fs";
import * as path from "node:path";
import type { RulesFile } from "../engine";

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
      for (const n of names) files.push({ name: path.join(p, n), content: await fs.readFile(path.join(p, n), "utf8") });
    } else {
      files.push({ name: p, content: await fs.readFile(p, "utf8") });
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
    let content: string;
    try {
      content = await fs.readFile(p, "utf8");
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      throw new Error(code === "EISDIR" ? `${p}: --context takes a file (context/s3guard-context.yaml from the rules bucket), not a folder` : `${p}: no such context file`);
    }
    files.push({ name: p, content, context: true });
  }
  return files;
}
