import * as path from "node:path";
import { sharedDataDir, sharedDataPath, SHARED_DATA_ENV } from "../../scripts/sharedData";

/**
 * Real CloudTrail logs used by tests (Stratus Red Team, Invictus-IR, Panther, Falco) live outside the
 * repository and cannot be copied into it. One setting finds them, S3GUARD_SHARED_DATA, by default
 * ../shared/data next to the repository (scripts/sharedData.ts). CI always has them; a user's
 * machine may not.
 */
export { sharedDataDir, sharedDataPath, SHARED_DATA_ENV };

/** A path inside the shared data; only call where `sharedDataDir()` found it. */
export function sharedData(...parts: string[]): string {
  return path.join(sharedDataDir() as string, ...parts);
}

/**
 * A describe block for specs that read the shared data. Without it, the block is one passing test
 * that says in one line where the data was looked for, so the rest of the run goes on.
 */
export function describeWithSharedData(name: string, fn: (dir: string) => void): void {
  const dir = sharedDataDir();
  if (dir) {
    describe(name, () => fn(dir));
    return;
  }
  describe(name, () => {
    it("needs the shared data", () => {
      console.log(`${name}: shared data not found at ${sharedDataPath()} (set ${SHARED_DATA_ENV}); these checks did not run`);
    });
  });
}
