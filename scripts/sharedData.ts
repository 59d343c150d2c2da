import * as fs from "node:fs";
import * as path from "node:path";

/**
 * Where the shared data sets (Stratus Red Team, Invictus-IR, Panther, Falco) live: the one setting
 * every test and script reads. Absent on a user's machine; whatever needs it then says so and skips.
 */
export const SHARED_DATA_ENV = "S3GUARD_SHARED_DATA";

/** The repository root: the nearest folder above `from` whose package.json is the kit's (s3guard-kit). */
export function repoRoot(from: string = __dirname): string {
  let dir = path.resolve(from);
  for (;;) {
    const pkg = path.join(dir, "package.json");
    if (fs.existsSync(pkg) && (JSON.parse(fs.readFileSync(pkg, "utf8")) as { name?: string }).name === "s3guard-kit") return dir;
    const up = path.dirname(dir);
    if (up === dir) throw new Error(`no s3guard-kit package.json above ${from}`);
    dir = up;
  }
}

/** `$S3GUARD_SHARED_DATA`, or `../shared/data` next to the repository; relative values are taken from the root. */
export function sharedDataPath(root: string = repoRoot(), env: NodeJS.ProcessEnv = process.env): string {
  return path.resolve(root, env[SHARED_DATA_ENV] || path.join("..", "shared", "data"));
}

/** The shared data folder when it exists, else undefined. */
export function sharedDataDir(root?: string, env?: NodeJS.ProcessEnv): string | undefined {
  const dir = sharedDataPath(root, env);
  return fs.existsSync(dir) && fs.statSync(dir).isDirectory() ? dir : undefined;
}
