import { types } from "../../policy/resources";
import { resource, runPolicy } from "./harness";
import { changed, compliantStack, retyped, without } from "./stack";

const allFour = "Set all four of blockPublicAcls, blockPublicPolicy, ignorePublicAcls and restrictPublicBuckets to true.";

describe("created-buckets-are-private: the log bucket and the rules bucket block public access", () => {
  const run = (stack = compliantStack(), config = {}) => runPolicy("created-buckets-are-private", stack, config);

  it("passes when every bucket the stack creates has a full block", async () => {
    expect(await run()).toEqual([]);
  });

  it("fails the trail's log bucket without a block, saying it is the log bucket", async () => {
    expect(await run(without(compliantStack(), "trail-bucket-public-access"))).toEqual([
      {
        policy: "created-buckets-are-private",
        urn: "urn:pulumi:test::s3guard::aws:s3/bucket:Bucket::trail-bucket",
        message:
          'The trail\'s log bucket "s3guard-dev-trail" has no public access block. Declare an aws.s3.BucketPublicAccessBlock for it with ' +
          "blockPublicAcls, blockPublicPolicy, ignorePublicAcls and restrictPublicBuckets all true.",
      },
    ]);
  });

  it("fails the rules bucket (a BucketV2) whose block leaves a setting off", async () => {
    const stack = changed(compliantStack(), "rules-bucket-public-access", (b) => ({ ...b, blockPublicPolicy: false }));
    expect(await run(stack)).toEqual([
      {
        policy: "created-buckets-are-private",
        urn: "urn:pulumi:test::s3guard::aws:s3/bucketV2:BucketV2::rules-bucket",
        message: `Bucket "s3guard-dev-rules", which this stack creates, has a public access block that leaves blockPublicPolicy off. ${allFour}`,
      },
    ]);
  });

  it("passes buckets without a block of their own when the account-level block is on, here or elsewhere", async () => {
    const bare = without(without(compliantStack(), "trail-bucket-public-access"), "rules-bucket-public-access");
    const fullBlock = { blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true };
    expect(await run([...bare, resource(types.accountPublicAccessBlock, "account", fullBlock)])).toEqual([]);
    expect(await run(bare, { accountBlockManagedElsewhere: true })).toEqual([]);
    expect(await run(bare)).toHaveLength(2);
  });

  it("leaves a bucket whose name is not known yet to the check at `pulumi up`", async () => {
    const stack = changed(without(compliantStack(), "rules-bucket-public-access"), "rules-bucket", () => ({ bucketPrefix: "s3guard-rules-" }));
    expect(await run(stack)).toEqual([]);
  });
});

describe("created-buckets-are-versioned: the rules bucket and the log bucket keep old versions", () => {
  const run = (stack = compliantStack()) => runPolicy("created-buckets-are-versioned", stack);

  it("passes when every bucket the stack creates is versioned", async () => {
    expect(await run()).toEqual([]);
  });

  it("fails the rules bucket without versioning", async () => {
    expect(await run(without(compliantStack(), "rules-bucket-versioning"))).toEqual([
      {
        policy: "created-buckets-are-versioned",
        urn: "urn:pulumi:test::s3guard::aws:s3/bucketV2:BucketV2::rules-bucket",
        message:
          'Bucket "s3guard-dev-rules", which this stack creates, is not versioned, so an overwritten or deleted object cannot be recovered. ' +
          'Declare an aws.s3.BucketVersioning for it with versioningConfiguration.status "Enabled".',
      },
    ]);
  });

  it("fails suspended versioning, naming the state", async () => {
    const stack = changed(compliantStack(), "trail-bucket-versioning", (v) => ({ ...v, versioningConfiguration: { status: "Suspended" } }));
    expect((await run(stack)).map((r) => r.message)).toEqual([
      expect.stringMatching(/^Bucket "s3guard-dev-trail", which this stack creates, has versioning "Suspended", so an overwritten/),
    ]);
  });

  it("accepts the V2 resource, the current one, and a legacy bucket's inline versioning", async () => {
    expect(await run(retyped(compliantStack(), "trail-bucket-versioning", types.versioning[1]))).toEqual([]);
    expect(await run(retyped(compliantStack(), "rules-bucket-versioning", types.versioning[0]))).toEqual([]);
    const inline = changed(without(compliantStack(), "rules-bucket-versioning"), "rules-bucket", (b) => ({ ...b, versioning: { enabled: true } }));
    expect(await run(inline)).toEqual([]);
  });
});
