import { PutObjectCommand } from "@aws-sdk/client-s3";
import { PublishCommand } from "@aws-sdk/client-sns";
import { gzipSync } from "node:zlib";
import { cloudTrailKey } from "../../../scripts/local/cloudTrailDelivery";
import { startStubSts, type StubSts } from "../../../scripts/local/stubSts";
import { s3DataEvent } from "../../../scripts/local/syntheticTrail";
import { eventually, Harness } from "../support/harness";
import { startSigningRecorder, type SignedRequest } from "../support/signingRecorder";
import { DELETE_RULE } from "../support/testRules";

const WATCHED_ACCOUNT = "111122223333";
const OTHER_ACCOUNT = "999988887777";
const READ_ROLE = "arn:aws:iam::222233334444:role/s3guard-log-reader";
const EXTERNAL_ID = "s3guard-e2e";

/** Where an organization trail writes a member account's log file: AWSLogs/<org id>/<account>/CloudTrail/... */
const organizationKey = (account: string, unique: string) => cloudTrailKey(account, "us-east-1", new Date(), unique).replace("AWSLogs/", "AWSLogs/o-a1b2c3d4e5/");

/**
 * The connector reading an organization trail's log files in a log archive account: it assumes the
 * archive's read role through STS (a stub speaking STS's query protocol), reads the log bucket with
 * the role's credentials and everything else with its own, and evaluates only the accounts it is
 * told to keep.
 */
describe("Cloud Connector: an existing trail's logs read through an assumed role", () => {
  let h: Harness;
  let sts: StubSts;
  let recorder: Awaited<ReturnType<typeof startSigningRecorder>>;
  beforeAll(async () => {
    h = await Harness.start({ name: "archive" });
    sts = await startStubSts([{ arn: READ_ROLE, externalId: EXTERNAL_ID }]);
    recorder = await startSigningRecorder(h.aws.endpoint);
  });
  afterAll(async () => {
    await h?.stop();
    await sts?.stop();
    await recorder?.stop();
  });
  afterEach(async () => {
    await h.stopConnectors();
  });

  const env = (externalId: string) => ({
    AWS_ENDPOINT_URL_S3: recorder.endpoint,
    AWS_ENDPOINT_URL_STS: sts.endpoint,
    S3GUARD_READ_ROLE_ARN: READ_ROLE,
    S3GUARD_READ_ROLE_EXTERNAL_ID: externalId,
    S3GUARD_READ_ROLE_BUCKETS: h.pipeline.logBucket,
    S3GUARD_ACCOUNT_IDS: WATCHED_ACCOUNT,
  });

  async function deliver(key: string, records: unknown[]): Promise<void> {
    await h.aws.s3.send(new PutObjectCommand({ Bucket: h.pipeline.logBucket, Key: key, Body: gzipSync(JSON.stringify({ Records: records })) }));
    await h.aws.sns.send(new PublishCommand({ TopicArn: h.pipeline.topicArn, Message: JSON.stringify({ s3Bucket: h.pipeline.logBucket, s3ObjectKey: [key] }) }));
  }

  const reads = (key: string): SignedRequest[] => recorder.requests.filter((r) => r.method === "GET" && r.path.startsWith(`/${h.pipeline.logBucket}/${key}`));

  it("reads the log object with the assumed role's key, and drops another account's records", async () => {
    const c = await h.startConnector(env(EXTERNAL_ID));
    const key = organizationKey(WATCHED_ACCOUNT, "kept");
    await deliver(key, [
      s3DataEvent({ eventName: "DeleteObject", bucket: "payroll", key: "kept.csv", account: WATCHED_ACCOUNT, seed: "x1" }),
      // A record of an account not kept, inside a kept account's file (as with a cross-account call).
      s3DataEvent({ eventName: "DeleteObject", bucket: "payroll", key: "dropped.csv", account: OTHER_ACCOUNT, seed: "x2" }),
    ]);
    const alert = await c.until("the kept record's alert", () => c.detections.find((a) => a.rule === DELETE_RULE));
    expect(alert.output_fields["s3.key"]).toBe("kept.csv");
    await eventually("the message deleted", async () => (await c.metrics()).get('s3guard_messages_total{outcome="deleted"}') === 1);
    const metrics = await c.metrics();
    expect(metrics.get("s3guard_records_other_accounts_total")).toBe(1);
    expect(c.detections.map((a) => a.output_fields["s3.key"])).toEqual(["kept.csv"]);

    // The role was assumed with the external id, by the task's own credentials...
    expect(sts.calls).toEqual([{ roleArn: READ_ROLE, sessionName: "s3guard-connector", externalId: EXTERNAL_ID, signedBy: "local", granted: true }]);
    // ...and the log object read with the key STS issued, while the rules were read with the task's own.
    expect(reads(key)).toEqual([{ method: "GET", path: expect.stringContaining(key), keyId: sts.issued[0].accessKeyId, sessionToken: true }]);
    const rulesReads = recorder.requests.filter((r) => r.path.startsWith(`/${h.pipeline.rulesBucket}`));
    expect(rulesReads.length).toBeGreaterThan(0);
    expect(new Set(rulesReads.map((r) => r.keyId))).toEqual(new Set(["local"]));
  });

  it("does not even read a log file whose key names an account not kept", async () => {
    const c = await h.startConnector(env(EXTERNAL_ID));
    const key = organizationKey(OTHER_ACCOUNT, "skipped");
    await deliver(key, [s3DataEvent({ eventName: "DeleteObject", bucket: "other", key: "x.csv", account: OTHER_ACCOUNT, seed: "x3" })]);
    await eventually("the message deleted", async () => (await c.metrics()).get('s3guard_messages_total{outcome="deleted"}') === 1);
    expect((await c.metrics()).get('s3guard_objects_total{outcome="other_account"}')).toBe(1);
    expect(reads(key)).toEqual([]);
    expect(c.detections).toEqual([]);
  });

  it("says what to check when the role refuses it, and leaves the message for redelivery", async () => {
    const c = await h.startConnector(env("wrong-external-id"));
    const key = cloudTrailKey(WATCHED_ACCOUNT, "us-east-1", new Date(), "refused");
    await deliver(key, [s3DataEvent({ eventName: "DeleteObject", bucket: "payroll", key: "r.csv", account: WATCHED_ACCOUNT, seed: "x4" })]);
    const failed = await c.waitForLog(/log object unreadable/, 20_000);
    expect(failed.error).toContain(`cannot assume ${READ_ROLE} (AccessDenied`);
    expect(failed.error).toContain("the role's trust policy must admit the task role with the external id in S3GUARD_READ_ROLE_EXTERNAL_ID");
    expect(sts.calls.at(-1)).toMatchObject({ externalId: "wrong-external-id", granted: false });
    await eventually("the message left for redelivery", async () => ((await c.metrics()).get('s3guard_messages_total{outcome="retried"}') ?? 0) >= 1);
    expect(reads(key)).toEqual([]);
    expect(c.detections).toEqual([]);
  });
});
