/**
 * The example stack with the evidence protections on: `objectLockDays: 30` locks every log file
 * version in the log bucket for 30 days, and `createKmsKey: true` encrypts log files with a rotated key
 * whose policy is the one CloudTrail documents, readable by the connector's task role only.
 */
import { ACCOUNT_ID, autoName, REGION } from "./helpers/mockCloud";
import { dependsOn, one, ofType, policyOf, statement } from "./helpers/query";
import { ProgramRun, readStackFile, runIndex } from "./helpers/runProgram";

const T = {
  bucket: "aws:s3/bucket:Bucket",
  objectLock: "aws:s3/bucketObjectLockConfiguration:BucketObjectLockConfiguration",
  versioning: "aws:s3/bucketVersioning:BucketVersioning",
  lifecycle: "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
  trail: "aws:cloudtrail/trail:Trail",
  key: "aws:kms/key:Key",
  alias: "aws:kms/alias:Alias",
  role: "aws:iam/role:Role",
  rolePolicy: "aws:iam/rolePolicy:RolePolicy",
};
const LOGS = "s3guard-dev-trail-logs";
const TRAIL_ARN = `arn:aws:cloudtrail:${REGION}:${ACCOUNT_ID}:trail/s3guard-dev-trail`;
const TASK_ROLE_ARN = `arn:aws:iam::${ACCOUNT_ID}:role/${autoName("s3guard-dev-connector-task")}`;

const example = readStackFile("Pulumi.dev.yaml");
function withTrail(trail: Record<string, unknown>, connector?: Record<string, unknown>): Record<string, unknown> {
  return {
    ...example,
    "s3guard:trail": { ...(example["s3guard:trail"] as object), ...trail },
    ...(connector ? { "s3guard:connector": { ...(example["s3guard:connector"] as object), ...connector } } : {}),
  };
}

async function run(config: Record<string, unknown>): Promise<ProgramRun> {
  const result = await runIndex(config);
  if (result.error !== undefined) throw result.error;
  return result;
}

describe("objectLockDays: 30", () => {
  let r: ProgramRun;
  beforeAll(async () => {
    r = await run(withTrail({ objectLockDays: 30 }));
  });

  it("creates the log bucket with Object Lock, and never replaces it over that setting", () => {
    const bucket = one(r, T.bucket, LOGS);
    expect(bucket.inputs.objectLockEnabled).toBe(true);
    expect(bucket.ignoreChanges).toEqual(["objectLockEnabled"]);
    expect(bucket.inputs.forceDestroy).toBe(false);
  });

  it("locks every new log file version for 30 days in compliance mode, and keeps the lock when the setting goes", () => {
    const lock = one(r, T.objectLock, LOGS);
    expect(lock.retainOnDelete).toBe(true);
    expect(lock.inputs).toEqual({
      bucket: autoName(LOGS),
      objectLockEnabled: "Enabled",
      rule: { defaultRetention: { mode: "COMPLIANCE", days: 30 } },
    });
  });

  it("sets the lock after versioning, before the lifecycle, and before the trail delivers anything", () => {
    const lock = one(r, T.objectLock, LOGS);
    expect(dependsOn(lock, one(r, T.versioning, LOGS))).toBe(true);
    expect(dependsOn(one(r, T.lifecycle, LOGS), lock)).toBe(true);
    expect(dependsOn(one(r, T.trail), lock)).toBe(true);
  });

  it("leaves the rules bucket unlocked: it is rebuilt from the repository", () => {
    expect(ofType(r, T.objectLock).map((l) => l.name)).toEqual([LOGS]);
    expect(one(r, T.bucket, "s3guard-dev-connector-rules").inputs.objectLockEnabled).toBeUndefined();
  });

  it("uses governance mode when asked", async () => {
    const governed = await run(withTrail({ objectLockDays: 30, objectLockMode: "governance" }));
    expect(one(governed, T.objectLock, LOGS).inputs.rule).toEqual({ defaultRetention: { mode: "GOVERNANCE", days: 30 } });
  });

  it("is absent by default", async () => {
    const plain = await run(example);
    expect(ofType(plain, T.objectLock)).toEqual([]);
    expect(one(plain, T.bucket, LOGS).inputs.objectLockEnabled).toBeUndefined();
  });
});

describe("createKmsKey: true", () => {
  let r: ProgramRun;
  let keyArn: string;
  beforeAll(async () => {
    r = await run(withTrail({ createKmsKey: true }));
    // The mock cloud's ARN for the key; the trail must name exactly that.
    keyArn = one(r, T.trail).inputs.kmsKeyId;
  });

  it("creates one key with yearly rotation and the longest deletion window, named after the trail", () => {
    const key = one(r, T.key);
    expect(key.inputs).toMatchObject({ enableKeyRotation: true, deletionWindowInDays: 30 });
    // The retained log files stay readable after `pulumi destroy`.
    expect(key.retainOnDelete).toBe(true);
    expect(one(r, T.alias).retainOnDelete).toBe(false);
    expect(one(r, T.alias).inputs.name).toBe("alias/s3guard-dev-trail-logs");
  });

  it("has exactly the statements CloudTrail documents, scoped to this trail", () => {
    const policy = policyOf(one(r, T.key));
    expect(policy.Statement.map((s) => s.Sid)).toEqual([
      "EnableAccountAdministration",
      "AllowCloudTrailEncryptLogs",
      "AllowCloudTrailDescribeKey",
      "AllowLogReadersToDecrypt",
    ]);
    expect(statement(policy, "EnableAccountAdministration")).toEqual({
      Sid: "EnableAccountAdministration",
      Effect: "Allow",
      Principal: { AWS: `arn:aws:iam::${ACCOUNT_ID}:root` },
      Action: "kms:*",
      Resource: "*",
    });
    expect(statement(policy, "AllowCloudTrailEncryptLogs")).toEqual({
      Sid: "AllowCloudTrailEncryptLogs",
      Effect: "Allow",
      Principal: { Service: "cloudtrail.amazonaws.com" },
      Action: "kms:GenerateDataKey*",
      Resource: "*",
      Condition: {
        StringLike: { "kms:EncryptionContext:aws:cloudtrail:arn": `arn:aws:cloudtrail:*:${ACCOUNT_ID}:trail/*` },
        StringEquals: { "aws:SourceArn": TRAIL_ARN },
      },
    });
    expect(statement(policy, "AllowCloudTrailDescribeKey")).toEqual({
      Sid: "AllowCloudTrailDescribeKey",
      Effect: "Allow",
      Principal: { Service: "cloudtrail.amazonaws.com" },
      Action: "kms:DescribeKey",
      Resource: "*",
      Condition: { StringEquals: { "aws:SourceArn": TRAIL_ARN } },
    });
  });

  it("lets the connector's task role, and no one else, decrypt log files with it", () => {
    const policy = policyOf(one(r, T.key));
    expect(statement(policy, "AllowLogReadersToDecrypt")).toEqual({
      Sid: "AllowLogReadersToDecrypt",
      Effect: "Allow",
      Principal: { AWS: TASK_ROLE_ARN },
      Action: "kms:Decrypt",
      Resource: "*",
      Condition: { Null: { "kms:EncryptionContext:aws:cloudtrail:arn": "false" } },
    });
    const task = policyOf(one(r, T.rolePolicy, "s3guard-dev-connector-task"));
    expect(statement(task, "DecryptTrailLogFiles")).toMatchObject({ Action: "kms:Decrypt", Resource: keyArn });
  });

  it("is created after the task role it names (KMS refuses a policy naming a role that does not exist yet), and before the trail", () => {
    const key = one(r, T.key);
    expect(key.inputDependencies).toContain(one(r, T.role, "s3guard-dev-connector-task").urn);
    expect(one(r, T.trail).inputDependencies).toContain(key.urn);
  });

  it("encrypts the trail's log files with it", () => {
    expect(keyArn).toMatch(new RegExp(`^arn:aws:kms:${REGION}:${ACCOUNT_ID}:key/[0-9a-f-]{36}$`));
    expect(one(r, T.alias).inputs.targetKeyId).toBe(keyArn.split("/")[1]);
  });

  it("creates the key without a reader when there is no connector", async () => {
    const alone = await run(withTrail({ createKmsKey: true }, { enabled: false }));
    expect(policyOf(one(alone, T.key)).Statement.map((s) => s.Sid)).toEqual([
      "EnableAccountAdministration",
      "AllowCloudTrailEncryptLogs",
      "AllowCloudTrailDescribeKey",
    ]);
    expect(ofType(alone, T.role)).toEqual([]);
  });

  it("previews too, while the task role's ARN is not known yet", async () => {
    const preview = await runIndex(withTrail({ createKmsKey: true }), { preview: true });
    expect(preview.error).toBeUndefined();
    expect(one(preview, T.key).inputs).toMatchObject({ enableKeyRotation: true });
    expect(one(preview, T.key).inputDependencies).toContain(one(preview, T.role, "s3guard-dev-connector-task").urn);
  });

  it("creates no key by default", async () => {
    const plain = await run(example);
    expect(ofType(plain, T.key)).toEqual([]);
    expect(one(plain, T.trail).inputs.kmsKeyId).toBeUndefined();
  });
});
