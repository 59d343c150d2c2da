import { existsSync } from "node:fs";
import * as path from "node:path";

/**
 * Real CloudTrail logs used by tests and benchmarks live outside the repository (they cannot be
 * copied into it). One setting finds them: S3GUARD_SHARED_DATA, by default ../shared/data next to
 * the repository. CI always has them; on a user's machine they may be absent.
 */
export function sharedDataDir(): string | undefined {
  const dir = path.resolve(process.env.S3GUARD_SHARED_DATA ?? path.join(__dirname, "..", "..", "..", "shared", "data"));
  return existsSync(dir) ? dir : undefined;
}

/** A path inside the shared data; only call after `sharedDataDir()` returned a folder. */
export function sharedData(...parts: string[]): string {
  return path.join(sharedDataDir() as string, ...parts);
}

/**
 * A describe block that needs the shared data. Without it, the block is replaced by a single test
 * that says, in one line, where the data was looked for, so the rest of the run goes on.
 */
export function describeWithSharedData(name: string, fn: () => void): void {
  if (sharedDataDir()) {
    describe(name, fn);
    return;
  }
  describe(name, () => {
    it("needs the shared data", () => {
      const where = process.env.S3GUARD_SHARED_DATA ?? "../shared/data";
      console.log(`${name}: shared data not found at ${where} (set S3GUARD_SHARED_DATA); these checks did not run`);
    });
  });
}
