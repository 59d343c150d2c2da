import { types } from "../../policy/resources";
import { resource, runPolicy } from "./harness";
import { changed, compliantStack, retyped, selector, watchedBuckets, without } from "./stack";

const trailUrn = "urn:pulumi:test::s3guard::aws:cloudtrail/trail:Trail::trail";
const withTrail = (patch: Record<string, unknown>) => changed(compliantStack(), "trail", (t) => ({ ...t, ...patch }));

describe("trail-is-multi-region", () => {
  it("passes a multi-region trail", async () => {
    expect(await runPolicy("trail-is-multi-region", compliantStack())).toEqual([]);
  });

  it("fails a single-region trail", async () => {
    expect(await runPolicy("trail-is-multi-region", withTrail({ isMultiRegionTrail: false }))).toEqual([
      {
        policy: "trail-is-multi-region",
        urn: trailUrn,
        message:
          "The trail records events of its home region only, so reads and writes of watched buckets in other regions go unrecorded. " +
          "Set isMultiRegionTrail to true (s3guard:trail.multiRegion: true).",
      },
    ]);
  });

  it("fails a trail that leaves the region setting to its single-region default", async () => {
    expect(await runPolicy("trail-is-multi-region", withTrail({ isMultiRegionTrail: undefined }))).toHaveLength(1);
  });
});

describe("trail-validates-log-files", () => {
  it("passes a trail with log-file validation", async () => {
    expect(await runPolicy("trail-validates-log-files", compliantStack())).toEqual([]);
  });

  it("fails a trail without it", async () => {
    expect((await runPolicy("trail-validates-log-files", withTrail({ enableLogFileValidation: undefined }))).map((r) => r.message)).toEqual([
      "The trail does not validate its log files, so nobody can prove that a delivered log file was not altered or deleted. " +
        "Set enableLogFileValidation to true.",
    ]);
  });
});

describe("trail-is-logging", () => {
  it("passes a trail that does not set enableLogging (it logs by default)", async () => {
    expect(await runPolicy("trail-is-logging", compliantStack())).toEqual([]);
  });

  it("fails a stopped trail", async () => {
    expect((await runPolicy("trail-is-logging", withTrail({ enableLogging: false }))).map((r) => r.message)).toEqual([
      "The trail is stopped (enableLogging is false), so it records nothing. Remove enableLogging or set it to true.",
    ]);
  });
});

describe("trail-log-bucket-is-encrypted", () => {
  const run = (stack = compliantStack()) => runPolicy("trail-log-bucket-is-encrypted", stack);

  it("passes a log bucket with default encryption", async () => {
    expect(await run()).toEqual([]);
  });

  it("fails a log bucket without default encryption", async () => {
    expect(await run(without(compliantStack(), "trail-bucket-encryption"))).toEqual([
      {
        policy: "trail-log-bucket-is-encrypted",
        urn: "urn:pulumi:test::s3guard::aws:s3/bucket:Bucket::trail-bucket",
        message:
          'The trail\'s log bucket "s3guard-dev-trail" has no default encryption. Declare an aws.s3.BucketServerSideEncryptionConfiguration ' +
          'for it with applyServerSideEncryptionByDefault.sseAlgorithm "aws:kms" (or "AES256"), or set the trail\'s kmsKeyId.',
      },
    ]);
  });

  it("fails an encryption rule that names no algorithm", async () => {
    const stack = changed(compliantStack(), "trail-bucket-encryption", (c) => ({ ...c, rules: [{ bucketKeyEnabled: true }] }));
    expect(await run(stack)).toHaveLength(1);
  });

  it("accepts the V2 resource and a legacy bucket's inline encryption block", async () => {
    expect(await run(retyped(compliantStack(), "trail-bucket-encryption", types.encryption[1]))).toEqual([]);

    let inline = without(compliantStack(), "trail-bucket-encryption");
    inline = changed(inline, "trail-bucket", (b) => ({
      ...b,
      serverSideEncryptionConfiguration: { rule: { applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } } },
    }));
    expect(await run(inline)).toEqual([]);
  });

  it("passes a trail that encrypts its log files with a KMS key itself", async () => {
    const stack = changed(without(compliantStack(), "trail-bucket-encryption"), "trail", (t) => ({ ...t, kmsKeyId: "arn:aws:kms:eu-west-1:111122223333:key/1" }));
    expect(await run(stack)).toEqual([]);
  });

  it("fails a trail that logs to a bucket this stack does not declare", async () => {
    expect(await run(withTrail({ s3BucketName: "someone-elses-bucket" }))).toEqual([
      {
        policy: "trail-log-bucket-is-encrypted",
        urn: trailUrn,
        message:
          'The trail delivers to bucket "someone-elses-bucket", which this stack does not declare, so its encryption cannot be checked. ' +
          "Let s3guard create the log bucket, or set the trail's kmsKeyId so CloudTrail encrypts the log files itself.",
      },
    ]);
  });
});

describe("trail-selectors-cover-watched-buckets", () => {
  const run = (stack = compliantStack(), buckets = watchedBuckets) =>
    runPolicy("trail-selectors-cover-watched-buckets", stack, { watchedBuckets: buckets });
  const withSelectors = (...selectors: unknown[]) => withTrail({ advancedEventSelectors: selectors });

  it("passes selectors that record every watched bucket and prefix in its configured mode", async () => {
    expect(await run()).toEqual([]);
  });

  it("fails when a watched bucket's selector is gone", async () => {
    const stack = withSelectors(selector("reads", "true", ["arn:aws:s3:::exports/monthly/", "arn:aws:s3:::exports/daily/"]));
    expect(await run(stack)).toEqual([
      {
        policy: "trail-selectors-cover-watched-buckets",
        urn: trailUrn,
        message:
          'Watched bucket "invoices" is configured for read events, but no advanced event selector records reads of arn:aws:s3:::invoices/. ' +
          'Restore a selector with eventCategory equals ["Data"], resources.type equals ["AWS::S3::Object"], readOnly equals ["true"] ' +
          "(or no readOnly) and resources.ARN startsWith that ARN; s3guard derives these selectors from s3guard:watchedBuckets.",
      },
      {
        policy: "trail-selectors-cover-watched-buckets",
        urn: trailUrn,
        message:
          'Watched bucket "invoices" is configured for write events, but no advanced event selector records writes of arn:aws:s3:::invoices/. ' +
          'Restore a selector with eventCategory equals ["Data"], resources.type equals ["AWS::S3::Object"], readOnly equals ["false"] ' +
          "(or no readOnly) and resources.ARN startsWith that ARN; s3guard derives these selectors from s3guard:watchedBuckets.",
      },
    ]);
  });

  it("fails a bucket configured for writes whose selector records reads only", async () => {
    const stack = withSelectors(
      selector("reads", "true", ["arn:aws:s3:::invoices/", "arn:aws:s3:::exports/monthly/", "arn:aws:s3:::exports/daily/"]),
    );
    expect((await run(stack)).map((r) => r.message)).toEqual([expect.stringMatching(/^Watched bucket "invoices" is configured for write events/)]);
  });

  it("names each uncovered prefix, and counts a whole-bucket selector as covering every prefix", async () => {
    const missingDaily = withSelectors(selector("all", undefined, ["arn:aws:s3:::invoices/", "arn:aws:s3:::exports/monthly/"]));
    expect((await run(missingDaily)).map((r) => r.message)).toEqual([
      expect.stringMatching(/^Watched bucket "exports" is configured for read events, but no advanced event selector records reads of arn:aws:s3:::exports\/daily\/\. /),
    ]);
    const wholeBucket = withSelectors(selector("all", undefined, ["arn:aws:s3:::invoices/", "arn:aws:s3:::exports/"]));
    expect(await run(wholeBucket)).toEqual([]);
  });

  it("does not count selectors that record only some events: Equals ARNs, extra fields, other resource types", async () => {
    const equalsArn = { name: "equals", fieldSelectors: [
      { field: "eventCategory", equals: ["Data"] },
      { field: "resources.type", equals: ["AWS::S3::Object"] },
      { field: "resources.ARN", equals: ["arn:aws:s3:::invoices/"] },
    ] };
    const deletesOnly = selector("deletes", "false", ["arn:aws:s3:::invoices/"]);
    deletesOnly.fieldSelectors.push({ field: "eventName", startsWiths: ["Delete"] } as never);
    const excluding = selector("excluding", undefined, ["arn:aws:s3:::invoices/"]);
    (excluding.fieldSelectors[1] as Record<string, unknown>).notStartsWiths = ["arn:aws:s3:::invoices/tmp/"];
    const accessPoints = selector("access points", undefined, ["arn:aws:s3:::invoices/"]);
    accessPoints.fieldSelectors[2] = { field: "resources.type", equals: ["AWS::S3::AccessPoint"] };
    const exports = selector("exports", "true", ["arn:aws:s3:::exports/"]);
    for (const partial of [equalsArn, deletesOnly, excluding, accessPoints]) {
      expect((await run(withSelectors(partial, exports))).map((r) => r.message)).toEqual([
        expect.stringMatching(/^Watched bucket "invoices" is configured for read events/),
        expect.stringMatching(/^Watched bucket "invoices" is configured for write events/),
      ]);
    }
  });

  it("counts a selector without resources.ARN as recording every bucket", async () => {
    const everything = { name: "all objects", fieldSelectors: [
      { field: "eventCategory", equals: ["Data"] },
      { field: "resources.type", equals: ["AWS::S3::Object"] },
    ] };
    const reported = await run(withSelectors(everything));
    // It covers every watched bucket, and so also the trail's own log bucket.
    expect(reported.map((r) => r.message)).toEqual([
      'The trail\'s selectors record data events of its own log bucket "s3guard-dev-trail", so every log delivery is logged and billed again. ' +
        "Remove the log bucket from s3guard:watchedBuckets (and from any selector that records every bucket).",
    ]);
  });

  it("fails selectors that record the trail's own log bucket", async () => {
    const buckets = [...watchedBuckets, { name: "s3guard-dev-trail", read: false, write: true }];
    const stack = withSelectors(
      selector("all", undefined, ["arn:aws:s3:::invoices/", "arn:aws:s3:::s3guard-dev-trail/"]),
      selector("reads", "true", ["arn:aws:s3:::exports/"]),
    );
    expect((await run(stack, buckets)).map((r) => r.message)).toEqual([
      expect.stringMatching(/^The trail's selectors record data events of its own log bucket "s3guard-dev-trail"/),
    ]);
  });

  it("fails a stack that watches buckets but has no trail, and passes one that watches none", async () => {
    expect((await run(without(compliantStack(), "trail"))).map((r) => r.message)).toEqual([
      "This stack watches buckets but declares no CloudTrail trail, so nothing records their data events. Restore the trail (s3guard's AuditTrail).",
    ]);
    expect(await run(without(compliantStack(), "trail"), [])).toEqual([]);
  });

  it("reads selectors as the engine's state lists them, with unset operators as null or empty", async () => {
    const stored = selector("all", undefined, ["arn:aws:s3:::invoices/", "arn:aws:s3:::exports/"]).fieldSelectors.map((f) => ({
      equals: null, notEquals: null, startsWiths: [], notStartsWiths: null, endsWiths: [], notEndsWiths: null, ...f,
    }));
    expect(await run(withSelectors({ name: "all", fieldSelectors: stored }))).toEqual([]);
  });

  it("reads ARNs of other partitions", async () => {
    const stack = withSelectors(selector("all", undefined, ["arn:aws-cn:s3:::invoices/", "arn:aws-cn:s3:::exports/"]));
    expect(await run(stack)).toEqual([]);
  });

  it("counts a trail resource of any name", async () => {
    const trail = compliantStack().find((r) => r.name === "trail")!;
    const renamed = [...without(compliantStack(), "trail"), resource(types.trail, "audit", trail.props)];
    expect(await run(renamed)).toEqual([]);
  });
});
