import { types } from "../../policy/resources";
import { resource, runPolicy } from "./harness";
import { changed, compliantStack, watchedBuckets, without } from "./stack";

const fullBlock = { blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true };
const allFour = "Set all four of blockPublicAcls, blockPublicPolicy, ignorePublicAcls and restrictPublicBuckets to true.";

describe("watched-buckets-block-public-access: every watched bucket blocks public access", () => {
  const run = (stack = compliantStack(), config: Record<string, unknown> = { watchedBuckets }) =>
    runPolicy("watched-buckets-block-public-access", stack, config);

  it("passes when each watched bucket has a block with all four settings on", async () => {
    expect(await run()).toEqual([]);
  });

  it("fails a block that leaves settings off, naming them", async () => {
    const stack = changed(compliantStack(), "exports-public-access", (b) => ({ ...b, ignorePublicAcls: false, restrictPublicBuckets: undefined }));
    expect(await run(stack)).toEqual([
      {
        policy: "watched-buckets-block-public-access",
        urn: "urn:pulumi:test::s3guard::aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock::exports-public-access",
        message: `The public access block of watched bucket "exports" leaves ignorePublicAcls and restrictPublicBuckets off. ${allFour}`,
      },
    ]);
  });

  it("passes buckets without a block of their own when the stack turns the account-level block on", async () => {
    let stack = without(without(compliantStack(), "invoices-public-access"), "exports-public-access");
    stack = [...stack, resource(types.accountPublicAccessBlock, "account", fullBlock)];
    expect(await run(stack)).toEqual([]);
  });

  it("fails an account-level block with a setting off, and then checks each bucket's own block", async () => {
    let stack = without(compliantStack(), "exports-public-access");
    stack = [...stack, resource(types.accountPublicAccessBlock, "account", { ...fullBlock, blockPublicPolicy: false })];
    const messages = (await run(stack)).map((r) => r.message);
    expect(messages).toEqual([
      `The account-level public access block leaves blockPublicPolicy off, so it does not protect the account's buckets. Set all four of blockPublicAcls, blockPublicPolicy, ignorePublicAcls and restrictPublicBuckets to true.`,
      expect.stringMatching(/^Watched bucket "exports" has no public access block, and this stack does not turn on the account-level block\./),
    ]);
  });

  it("passes buckets without a block when the config says another owner keeps the account-level block on", async () => {
    const stack = without(compliantStack(), "exports-public-access");
    expect(await run(stack, { watchedBuckets, accountBlockManagedElsewhere: true })).toEqual([]);
  });

  it("does not count a block of another bucket", async () => {
    const stack = changed(compliantStack(), "exports-public-access", (b) => ({ ...b, bucket: "exports-archive" }));
    expect((await run(stack)).map((r) => r.message)).toEqual([
      expect.stringMatching(/^Watched bucket "exports" has no public access block/),
    ]);
  });
});

describe("watched-buckets-enforce-bucket-owner: ACLs are disabled on every watched bucket", () => {
  const run = (stack = compliantStack()) => runPolicy("watched-buckets-enforce-bucket-owner", stack, { watchedBuckets });

  it("passes when every watched bucket enforces the bucket owner", async () => {
    expect(await run()).toEqual([]);
  });

  it("fails ownership controls that keep ACLs", async () => {
    const stack = changed(compliantStack(), "invoices-ownership", (c) => ({ ...c, rule: { objectOwnership: "ObjectWriter" } }));
    expect(await run(stack)).toEqual([
      {
        policy: "watched-buckets-enforce-bucket-owner",
        urn: "urn:pulumi:test::s3guard::aws:s3/bucketOwnershipControls:BucketOwnershipControls::invoices-ownership",
        message:
          'The ownership controls of bucket "invoices" are "ObjectWriter", so ACLs still grant access. ' +
          'Set rule.objectOwnership to "BucketOwnerEnforced" to disable ACLs.',
      },
    ]);
  });

  it("fails a watched bucket without ownership controls", async () => {
    expect(await run(without(compliantStack(), "exports-ownership"))).toEqual([
      {
        policy: "watched-buckets-enforce-bucket-owner",
        urn: undefined,
        message:
          'Watched bucket "exports" has no ownership controls, so its ACLs stay in force. ' +
          'Declare an aws.s3.BucketOwnershipControls for it with rule.objectOwnership "BucketOwnerEnforced" ' +
          "(s3guard declares one for every bucket in s3guard:watchedBuckets).",
      },
    ]);
  });

  it("reads a rule kept as a one-element list", async () => {
    const stack = changed(compliantStack(), "invoices-ownership", (c) => ({ ...c, rule: [{ objectOwnership: "BucketOwnerEnforced" }] }));
    expect(await run(stack)).toEqual([]);
  });
});

describe("the watched-bucket policies' config", () => {
  it("fails closed when an entry has no bucket name or malformed prefixes", async () => {
    const reported = await runPolicy("watched-buckets-enforce-bucket-owner", compliantStack(), {
      watchedBuckets: [{ read: true }, { name: "exports", prefixes: "monthly/" }],
    });
    expect(reported.map((r) => r.message)).toEqual([
      expect.stringMatching(/^watchedBuckets\[0\] has no bucket name; watchedBuckets\[1\]\.prefixes must be a list of strings\. Generate the policy config/),
    ]);
  });

  it("fails closed when watchedBuckets is not a list", async () => {
    const reported = await runPolicy("trail-selectors-cover-watched-buckets", compliantStack(), { watchedBuckets: "invoices" });
    expect(reported.map((r) => r.message)).toEqual([
      expect.stringMatching(/^watchedBuckets in this policy's config must be a list of \{name, read, write, prefixes\?\}, got "invoices"\./),
    ]);
  });

  it("accepts an empty list: a stack that watches nothing has nothing to guard", async () => {
    const reported = await runPolicy("watched-buckets-block-public-access", [], { watchedBuckets: [] });
    expect(reported).toEqual([]);
  });
});
