/**
 * The real index.ts refuses a wrong stack configuration before declaring anything, so `pulumi preview`
 * fails with every problem listed instead of `pulumi up` failing half-way.
 */
import { runIndex } from "./helpers/runProgram";

describe("index.ts with an invalid stack configuration", () => {
  it("declares no resource and reports every problem in one error", async () => {
    const run = await runIndex(
      {
        "aws:region": "us-east-1",
        "s3guard:watchedBuckets": [
          { name: "customer-data-dev", read: true, write: true },
          { name: "static-site-dev", read: false, wirte: true },
          { name: "customer-data-dev", read: true },
        ],
        "s3guard:blockPublicAccess": "everything",
        "s3guard:connector": { cpu: 256, memory: 4096 },
      },
      { stack: "staging" },
    );
    expect(run.resources).toEqual([]);
    expect(run.invokes).toEqual([]);
    expect(run.error).toMatchObject({ name: "ConfigError", code: "S3GUARD_INVALID_CONFIG" });
    expect((run.error as Error).message).toBe(
      [
        's3guard configuration of stack "staging" has 5 problems:',
        '  - s3guard:watchedBuckets[1].wirte: unknown key (got true); accepted keys: name, read, write, prefixes, region (did you mean "write"?)',
        '  - s3guard:watchedBuckets[1]: watches neither reads nor writes (got {"name":"static-site-dev","read":false,"wirte":true}); set read: true, write: true, or both (a bucket with neither would record nothing)',
        '  - s3guard:watchedBuckets[2].name: duplicate bucket, already at s3guard:watchedBuckets[0] (got "customer-data-dev"); list each bucket once, with read, write and prefixes combined in one entry',
        '  - s3guard:blockPublicAccess: not an accepted value (got "everything"); use one of buckets, account, off',
        "  - s3guard:connector.memory: Fargate offers no task with cpu 256 and this much memory (got 4096); with cpu 256 use memory 512, 1024 or 2048",
        "Nothing was deployed. Fix Pulumi.staging.yaml (or run `pulumi config set --path ...`) and try again.",
      ].join("\n"),
    );
  });

  it("reads structured values exactly as the engine passes them, so a stack without the bucket list is refused", async () => {
    const run = await runIndex({ "aws:region": "us-east-1", "s3guard:watchedBucket": [{ name: "a-bucket", read: true }] });
    expect(run.resources).toEqual([]);
    expect((run.error as Error).message.split("\n").slice(1, 3)).toEqual([
      '  - s3guard:watchedBucket: unknown key (got [{"name":"a-bucket","read":true}]); accepted keys: namePrefix, watchedBuckets, managementEvents, blockPublicAccess, trail, connector, context, tags (did you mean "watchedBuckets"?)',
      "  - s3guard:watchedBuckets: required (got nothing); list the buckets to watch, e.g. `pulumi config set --path 's3guard:watchedBuckets[0].name' my-bucket` then `... [0].write true`",
    ]);
  });
});
