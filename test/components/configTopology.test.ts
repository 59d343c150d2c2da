import { checkConfig } from "../../components/config";
import { ProblemCode } from "../../components/configErrors";
import { ownsTrail } from "../../components/configTrail";

/**
 * `s3guard:trail.existing` and `s3guard:trail.accountIds`: checked before deploy, each problem naming
 * its key path, the value and what to write instead.
 */

const watched = [{ name: "customer-data-dev", read: true, write: true }];
const EXISTING = {
  logBucketName: "org-trail-logs-222233334444",
  snsTopicArn: "arn:aws:sns:us-east-1:222233334444:org-trail-delivery",
  readRoleArn: "arn:aws:iam::222233334444:role/s3guard-log-reader",
  kmsKeyArn: "arn:aws:kms:us-east-1:222233334444:key/1234abcd-12ab-34cd-56ef-1234567890ab",
  accountIds: ["111122223333"],
};

function check(raw: Record<string, unknown>, region = "us-east-1") {
  return checkConfig(raw, { stack: "dev", region });
}

function problemsOf(raw: Record<string, unknown>, region = "us-east-1"): Array<[ProblemCode, string]> {
  return check(raw, region).problems.map((p) => [p.code, p.message]);
}

describe("s3guard:trail.existing", () => {
  it("accepts the issue's example and reads it with defaults filled in", () => {
    const { config, problems } = check({ watchedBuckets: watched, trail: { existing: EXISTING } });
    expect(problems).toEqual([]);
    expect(config?.trail.existing).toEqual({ ...EXISTING, recordsWatchedBuckets: false });
    // The existing trail records management events: the kit's own trail records data events only.
    expect(config?.managementEvents).toBe("none");
    expect(ownsTrail(config!.trail, config!.watchedBuckets)).toBe(true);
  });

  it("needs only the log bucket; everything else is optional", () => {
    const { config, problems } = check({ watchedBuckets: watched, trail: { existing: { logBucketName: "org-trail-logs-222233334444" } } });
    expect(problems).toEqual([]);
    expect(config?.trail.existing).toEqual({ logBucketName: "org-trail-logs-222233334444", accountIds: [], recordsWatchedBuckets: false });
  });

  it("creates no trail when the existing one records the watched buckets, or when none is watched", () => {
    const records = check({ watchedBuckets: watched, trail: { existing: { ...EXISTING, recordsWatchedBuckets: true } } }).config!;
    expect(ownsTrail(records.trail, records.watchedBuckets)).toBe(false);
    const none = check({ watchedBuckets: [], trail: { existing: EXISTING } }).config!;
    expect(ownsTrail(none.trail, none.watchedBuckets)).toBe(false);
  });

  it("checks every value's shape, naming its key", () => {
    const raw = {
      watchedBuckets: watched,
      trail: {
        existing: {
          logBucketName: "Org_Trail",
          snsTopicArn: "org-trail-delivery",
          readRoleArn: "arn:aws:iam::222233334444:user/reader",
          readRoleExternalId: "x",
          kmsKeyArn: "alias/org-trail",
          accountIds: ["1111-2222-3333", 111122223333, "444455556666", "444455556666"],
          recordsWatchedBuckets: "yes",
          snsTopicArm: "arn:aws:sns:us-east-1:222233334444:t",
        },
      },
    };
    expect(check(raw).problems.map((p) => [p.code, p.path])).toEqual([
      ["UNKNOWN_KEY", "s3guard:trail.existing.snsTopicArm"],
      ["INVALID_BUCKET_NAME", "s3guard:trail.existing.logBucketName"],
      ["INVALID_ARN", "s3guard:trail.existing.snsTopicArn"],
      ["INVALID_ARN", "s3guard:trail.existing.readRoleArn"],
      ["INVALID_ID", "s3guard:trail.existing.readRoleExternalId"],
      ["INVALID_ARN", "s3guard:trail.existing.kmsKeyArn"],
      ["INVALID_ID", "s3guard:trail.existing.accountIds[0]"],
      ["WRONG_TYPE", "s3guard:trail.existing.accountIds[1]"],
      ["DUPLICATE", "s3guard:trail.existing.accountIds[3]"],
      ["WRONG_TYPE", "s3guard:trail.existing.recordsWatchedBuckets"],
    ]);
    expect(problemsOf(raw)[0][1]).toContain('(did you mean "snsTopicArn"?)');
    expect(problemsOf(raw)[3][1]).toBe(
      's3guard:trail.existing.readRoleArn: not an IAM role ARN (got "arn:aws:iam::222233334444:user/reader"); use the ARN of the role the log archive stack created, like arn:aws:iam::222233334444:role/s3guard-log-reader (or leave it out when the task role may read the bucket itself)',
    );
  });

  it("takes the existing trail's ARN, well formed", () => {
    const trailArn = "arn:aws:cloudtrail:us-east-1:999988887777:trail/org-trail";
    expect(check({ watchedBuckets: watched, trail: { existing: { ...EXISTING, trailArn } } }).config?.trail.existing?.trailArn).toBe(trailArn);
    expect(problemsOf({ watchedBuckets: watched, trail: { existing: { ...EXISTING, trailArn: "org-trail" } } })).toEqual([
      [
        "INVALID_ARN",
        's3guard:trail.existing.trailArn: not a CloudTrail trail ARN (got "org-trail"); use the existing trail\'s ARN, like arn:aws:cloudtrail:us-east-1:999988887777:trail/org-trail: the rules then watch it as a trail that must keep recording',
      ],
    ]);
  });

  it("requires the log bucket", () => {
    expect(problemsOf({ watchedBuckets: watched, trail: { existing: { snsTopicArn: EXISTING.snsTopicArn } } })).toEqual([
      [
        "MISSING_KEY",
        "s3guard:trail.existing.logBucketName: required with an existing trail (got nothing); the bucket the existing trail delivers its log files to, like org-trail-logs-222233334444",
      ],
    ]);
  });

  it("refuses keys only a trail of the kit's own uses, and a second copy of management events", () => {
    const raw = {
      watchedBuckets: watched,
      managementEvents: true,
      trail: { organization: true, accountIds: ["111122223333"], existing: EXISTING },
    };
    expect(problemsOf(raw)).toEqual([
      [
        "CONFLICT",
        "s3guard:trail.organization: the kit creates no organization trail when it reads an existing one (got true); remove s3guard:trail.organization; the existing trail's accounts are chosen with s3guard:trail.existing.accountIds",
      ],
      ["CONFLICT", 's3guard:trail.accountIds: applies to the kit\'s own organization trail (got ["111122223333"]); with an existing trail, use s3guard:trail.existing.accountIds'],
      [
        "CONFLICT",
        "s3guard:managementEvents: the existing trail records management events already; a second copy is billed for every event (got true); remove s3guard:managementEvents (or set it to false) while s3guard:trail.existing is set",
      ],
    ]);
    expect(problemsOf({ watchedBuckets: watched, managementEvents: false, trail: { existing: EXISTING } })).toEqual([]);
  });

  it("refuses settings of a trail the kit does not create", () => {
    const raw = { watchedBuckets: watched, trail: { multiRegion: false, cloudWatchLogs: true, existing: { ...EXISTING, recordsWatchedBuckets: true } } };
    expect(problemsOf(raw)).toEqual([
      [
        "CONFLICT",
        "s3guard:trail.multiRegion: only applies to a trail of the kit's own: s3guard:trail.existing.recordsWatchedBuckets is true, so the kit creates no trail (got false); remove s3guard:trail.multiRegion",
      ],
      [
        "CONFLICT",
        "s3guard:trail.cloudWatchLogs: only applies to a trail of the kit's own: s3guard:trail.existing.recordsWatchedBuckets is true, so the kit creates no trail (got true); remove s3guard:trail.cloudWatchLogs",
      ],
    ]);
    // The data-events trail the kit still creates takes them.
    expect(problemsOf({ ...raw, trail: { ...raw.trail, existing: EXISTING } })).toEqual([]);
  });

  it("takes a topic in another region (the trail's home region), and wants every ARN in one partition", () => {
    expect(problemsOf({ watchedBuckets: watched, trail: { existing: EXISTING } }, "eu-west-1")).toEqual([]);
    const mixed = { ...EXISTING, readRoleArn: "arn:aws-cn:iam::222233334444:role/s3guard-log-reader" };
    expect(problemsOf({ watchedBuckets: watched, trail: { existing: mixed } })).toEqual([
      ["CONFLICT", expect.stringContaining("s3guard:trail.existing: ARNs of different partitions (aws, aws-cn, aws-us-gov)")],
    ]);
  });

  it("wants an external id only with a role, and never the log bucket among the watched ones", () => {
    const raw = {
      watchedBuckets: [...watched, { name: "org-trail-logs-222233334444", read: true }],
      trail: { existing: { logBucketName: "org-trail-logs-222233334444", readRoleExternalId: "s3guard-prod" } },
    };
    expect(problemsOf(raw)).toEqual([
      [
        "CONFLICT",
        's3guard:trail.existing.readRoleExternalId: an external id without a role to assume (got "s3guard-prod"); set s3guard:trail.existing.readRoleArn too, or remove the external id',
      ],
      [
        "FEEDBACK_LOOP",
        's3guard:watchedBuckets[1].name: is the existing trail\'s log bucket (got "org-trail-logs-222233334444"); remove it: every log file delivered there, and every read of one by the connector, would be recorded and billed',
      ],
    ]);
  });

  it("refuses an empty account list, which would drop every record", () => {
    expect(problemsOf({ watchedBuckets: watched, trail: { existing: { ...EXISTING, accountIds: [] } } })).toEqual([
      ["OUT_OF_RANGE", expect.stringContaining("s3guard:trail.existing.accountIds: an empty list would drop every record")],
    ]);
  });
});

describe("s3guard:trail.accountIds (the kit's own organization trail)", () => {
  it("filters an organization trail", () => {
    const { config, problems } = check({ watchedBuckets: watched, trail: { organization: true, accountIds: ["111122223333", "444455556666"] } });
    expect(problems).toEqual([]);
    expect(config?.trail.accountIds).toEqual(["111122223333", "444455556666"]);
    expect(config?.managementEvents).toBe("all");
  });

  it("means nothing for a trail of one account", () => {
    expect(problemsOf({ watchedBuckets: watched, trail: { accountIds: ["111122223333"] } })).toEqual([
      [
        "CONFLICT",
        's3guard:trail.accountIds: only an organization trail records other accounts (got ["111122223333"]); set s3guard:trail.organization to true, or s3guard:trail.existing.accountIds to filter an existing trail, or remove the key',
      ],
    ]);
  });
});
