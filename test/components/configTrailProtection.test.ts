/** `s3guard:trail` keys that protect the evidence: Object Lock, and the KMS key of the log files. */
import { checkConfig } from "../../components/config";
import { ProblemCode } from "../../components/configErrors";

const base = { watchedBuckets: [{ name: "customer-data-dev", read: true, write: true }] };
const KEY = "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";

function check(trail: Record<string, unknown>, region = "us-east-1") {
  return checkConfig({ ...base, trail }, { stack: "dev", region });
}

function problemsOf(trail: Record<string, unknown>, region?: string): Array<[ProblemCode, string]> {
  return check(trail, region).problems.map((p) => [p.code, p.message]);
}

describe("trail.objectLockDays and trail.objectLockMode", () => {
  it("lock in compliance mode unless governance is asked for", () => {
    expect(check({ objectLockDays: 30 }).config?.trail.objectLock).toEqual({ days: 30, mode: "compliance" });
    expect(check({ objectLockDays: 365, objectLockMode: "governance" }).config?.trail.objectLock).toEqual({ days: 365, mode: "governance" });
    expect(check({}).config?.trail.objectLock).toBeUndefined();
  });

  it("take a positive whole number of days, and say that the lock cannot be undone", () => {
    const [[code, message]] = problemsOf({ objectLockDays: 0 });
    expect(code).toBe("OUT_OF_RANGE");
    expect(message).toMatch(/^s3guard:trail\.objectLockDays: out of range \(got 0\); use a whole number of days from 1 to 36500 /);
    expect(message).toMatch(/cannot be switched off/);
    expect(problemsOf({ objectLockDays: "30" })[0]).toEqual(["WRONG_TYPE", expect.stringMatching(/^s3guard:trail\.objectLockDays: not a whole number \(got "30"\)/)]);
    expect(problemsOf({ objectLockDays: 2.5 })[0][0]).toBe("WRONG_TYPE");
  });

  it("accept only the two modes S3 has", () => {
    expect(problemsOf({ objectLockDays: 30, objectLockMode: "COMPLIANCE" })).toEqual([
      ["INVALID_CHOICE", 's3guard:trail.objectLockMode: not an accepted value (got "COMPLIANCE"); use one of compliance, governance'],
    ]);
  });

  it("refuse a mode without days, and a lock longer than log files are kept", () => {
    expect(problemsOf({ objectLockMode: "governance" })).toEqual([
      [
        "CONFLICT",
        's3guard:trail.objectLockMode: given without objectLockDays, so nothing is locked (got "governance"); set objectLockDays too (days each log file version stays locked), or remove objectLockMode',
      ],
    ]);
    expect(problemsOf({ objectLockDays: 400 })).toEqual([
      [
        "CONFLICT",
        "s3guard:trail.objectLockDays: longer than logRetentionDays (365): S3 could not expire log files still locked (got 400); lock at most as long as log files are kept: lower objectLockDays, or raise logRetentionDays to 400 or more",
      ],
    ]);
    expect(problemsOf({ objectLockDays: 400, logRetentionDays: 400 })).toEqual([]);
  });
});

describe("trail.createKmsKey and trail.kmsKeyArn", () => {
  it("create a key on request, never together with a given one", () => {
    expect(check({ createKmsKey: true }).config?.trail).toMatchObject({ createKmsKey: true });
    expect(check({ createKmsKey: true }).config?.trail.kmsKeyArn).toBeUndefined();
    expect(problemsOf({ createKmsKey: true, kmsKeyArn: KEY })).toEqual([
      [
        "CONFLICT",
        's3guard:trail.createKmsKey: given together with kmsKeyArn (got true); either let the kit create the key (createKmsKey: true, kmsKeyArn: "") or bring your own (kmsKeyArn, createKmsKey: false)',
      ],
    ]);
    expect(problemsOf({ createKmsKey: "yes" })).toEqual([["WRONG_TYPE", 's3guard:trail.createKmsKey: not a boolean (got "yes"); use true or false']]);
  });

  it("refuse a given key of another region than the stack's", () => {
    expect(problemsOf({ kmsKeyArn: KEY })).toEqual([]);
    expect(problemsOf({ kmsKeyArn: KEY }, "eu-west-1")).toEqual([
      [
        "REGION_MISMATCH",
        `s3guard:trail.kmsKeyArn: a key of us-east-1, while the trail and its log bucket are in eu-west-1 (got "${KEY}"); CloudTrail encrypts only with a key in the log bucket's region: give a key (or a multi-Region replica) of eu-west-1, or set s3guard:trail.createKmsKey to true`,
      ],
    ]);
  });
});
