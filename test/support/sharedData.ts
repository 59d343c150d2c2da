import { sharedDataDir, sharedDataPath } from "../../scripts/sharedData";

/** The shared data folder (S3GUARD_SHARED_DATA, default ../shared/data), or undefined where it is absent. */
export { SHARED_DATA_ENV, sharedDataDir, sharedDataPath } from "../../scripts/sharedData";

/**
 * A describe block for specs that read the shared data sets. Where the data is absent (a user's
 * machine) it registers one passing test that says so, instead of failing or being skipped.
 */
export function describeWithSharedData(name: string, fn: (dir: string) => void): void {
  const dir = sharedDataDir();
  if (dir) {
    describe(name, () => fn(dir));
    return;
  }
  describe(name, () => {
    it("needs the shared data sets", () => {
      console.log(`shared data not found at ${sharedDataPath()}; skipped`);
    });
  });
}
