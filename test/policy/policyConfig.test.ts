import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { watchedBucketPolicies } from "../../policy/policies";
import { runPack } from "./harness";
import { compliantStack, watchedBuckets } from "./stack";

const script = join(__dirname, "../../policy/bin/policy-config.js");
const { policyConfig, watchedBucketPolicies: namesInScript } = require(script) as {
  policyConfig: (stackConfig: Record<string, unknown>, overrides?: Record<string, unknown>) => Record<string, any>;
  watchedBucketPolicies: string[];
};

/** What `pulumi config --json` prints for a stack with structured watched buckets. */
const stackConfig = {
  "aws:region": { value: "eu-west-1", secret: false },
  "s3guard:blockPublicAccess": { value: "buckets", secret: false },
  "s3guard:watchedBuckets": { value: JSON.stringify(watchedBuckets), objectValue: watchedBuckets, secret: false },
};

describe("policy/bin/policy-config.js", () => {
  it("fills exactly the policies that read watchedBuckets", () => {
    expect(namesInScript).toEqual([...watchedBucketPolicies]);
    expect(Object.keys(policyConfig(stackConfig))).toEqual([...watchedBucketPolicies]);
  });

  it("copies the stack's watched buckets into each of them", () => {
    for (const name of watchedBucketPolicies) {
      expect(policyConfig(stackConfig)[name]).toEqual({ watchedBuckets });
    }
  });

  it("reads the JSON string when the CLI gives no objectValue, and an absent key as no buckets", () => {
    const { objectValue: _, ...asString } = stackConfig["s3guard:watchedBuckets"];
    expect(policyConfig({ "s3guard:watchedBuckets": asString })[watchedBucketPolicies[0]]).toEqual({ watchedBuckets });
    expect(policyConfig({})[watchedBucketPolicies[0]]).toEqual({ watchedBuckets: [] });
  });

  it("keeps per-stack overrides, and the stack's buckets win over any in the overrides", () => {
    const config = policyConfig(stackConfig, {
      "trail-is-multi-region": "advisory",
      "watched-buckets-block-public-access": { accountBlockManagedElsewhere: true, watchedBuckets: [] },
      "trail-selectors-cover-watched-buckets": "advisory",
    });
    expect(config["trail-is-multi-region"]).toBe("advisory");
    expect(config["watched-buckets-block-public-access"]).toEqual({ accountBlockManagedElsewhere: true, watchedBuckets });
    expect(config["trail-selectors-cover-watched-buckets"]).toEqual({ enforcementLevel: "advisory", watchedBuckets });
  });

  it("asks no trail of a stack whose existing trail records the watched buckets itself", () => {
    const existing = { existing: { logBucketName: "org-trail-logs", recordsWatchedBuckets: true } };
    const config = policyConfig({ ...stackConfig, "s3guard:trail": { value: JSON.stringify(existing), objectValue: existing, secret: false } });
    expect(config["trail-selectors-cover-watched-buckets"]).toEqual({ watchedBuckets: [] });
    expect(config["watched-buckets-block-public-access"]).toEqual({ watchedBuckets });
    const ownDataTrail = { existing: { logBucketName: "org-trail-logs" } };
    expect(policyConfig({ ...stackConfig, "s3guard:trail": { value: JSON.stringify(ownDataTrail), secret: false } })["trail-selectors-cover-watched-buckets"]).toEqual({ watchedBuckets });
  });

  it("refuses watched buckets stored as a secret, which it could only pass on as ciphertext", () => {
    expect(() => policyConfig({ "s3guard:watchedBuckets": { value: "[secret]", secret: true } })).toThrow(
      "s3guard:watchedBuckets is a secret, so its buckets cannot be passed to the policy pack. Store it as plain configuration.",
    );
  });

  it("writes, from the command line, a config with which the pack passes a compliant stack", async () => {
    const dir = mkdtempSync(join(tmpdir(), "policy-config-"));
    writeFileSync(join(dir, "dev.json"), JSON.stringify({ "created-buckets-are-versioned": "advisory" }));
    const run = spawnSync(process.execPath, [script, join(dir, "dev.json")], { input: JSON.stringify(stackConfig), encoding: "utf8" });
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
    const config = JSON.parse(run.stdout);
    expect(config["created-buckets-are-versioned"]).toBe("advisory");
    expect(await runPack(compliantStack(), config)).toEqual([]);
    expect((await runPack(compliantStack(), {})).length).toBeGreaterThan(0);
  });

  it("exits 1 with the reason on bad input", () => {
    const run = spawnSync(process.execPath, [script], { input: "not json", encoding: "utf8" });
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/^policy-config: .*JSON/);
  });
});
