import * as pulumi from "@pulumi/pulumi";
import { ConfigError, readStackConfig, S3guardConfig, validateConfig } from "../../components/config";
import { CONNECTOR_DEFAULTS } from "../../components/configConnector";
import { TRAIL_DEFAULTS } from "../../components/configTrail";
import { SecretText } from "../../components/secretText";
import { engineConfig, readStackFile } from "./helpers/runProgram";

const context = { stack: "dev", region: "us-east-1" };

describe("readStackConfig", () => {
  it("reads the s3guard: keys of the engine's string map back into typed values and ignores other namespaces", () => {
    const raw = readStackConfig({
      "aws:region": "us-east-1",
      "s3guard:watchedBuckets": '[{"name":"b-1","read":true}]',
      "s3guard:managementEvents": "false",
      "s3guard:blockPublicAccess": "account",
      "s3guard:namePrefix": "123",
      "s3guard:trail": '{"logRetentionDays":30}',
    });
    expect(raw).toEqual({
      watchedBuckets: [{ name: "b-1", read: true }],
      managementEvents: false,
      blockPublicAccess: "account",
      namePrefix: "123",
      trail: { logRetentionDays: 30 },
    });
  });

  it('keeps a value that is not JSON as the string it is ("write")', () => {
    expect(readStackConfig({ "s3guard:managementEvents": "write" })).toEqual({ managementEvents: "write" });
  });
});

describe("validateConfig", () => {
  it("reads the example stack Pulumi.dev.yaml into complete settings", () => {
    const config = validateConfig(readStackConfig(engineConfig(readStackFile("Pulumi.dev.yaml"))), context);
    const expected: S3guardConfig = {
      namePrefix: "s3guard-dev",
      watchedBuckets: [
        { name: "customer-data-dev", access: "read-write", prefixes: [] },
        { name: "static-site-dev", access: "write", prefixes: ["uploads/"] },
      ],
      managementEvents: "all",
      blockPublicAccess: "buckets",
      trail: { ...TRAIL_DEFAULTS, multiRegion: true, logFileValidation: true, logRetentionDays: 365, cloudWatchLogs: false },
      connector: {
        ...CONNECTOR_DEFAULTS,
        enabled: true,
        cpu: 256,
        memory: 512,
        minTasks: 1,
        maxTasks: 4,
        alerts: ["cloudwatch", "securityhub"],
        minimumPriority: "notice",
        ruleMatching: "all",
        subnetIds: [],
        assignPublicIp: true,
      },
      context: { trustedNetworks: ["203.0.113.0/24"], trustedAccounts: ["444455556666"] },
      tags: { environment: "dev" },
    };
    expect(config).toEqual(expected);
    expect(config.trail.kmsKeyArn).toBeUndefined();
    expect(config.connector.image).toBeUndefined();
  });

  it("fills in every default around a bare list of buckets", () => {
    const config = validateConfig({ watchedBuckets: [{ name: "only-reads", read: true }] }, context);
    expect(config).toEqual({
      namePrefix: "s3guard-dev",
      watchedBuckets: [{ name: "only-reads", access: "read", prefixes: [] }],
      managementEvents: "all",
      blockPublicAccess: "buckets",
      trail: {
        multiRegion: true,
        logFileValidation: true,
        organization: false,
        logRetentionDays: 365,
        createKmsKey: false,
        cloudWatchLogs: false,
        cloudWatchLogsRetentionDays: 90,
        accountIds: [],
      },
      connector: {
        enabled: true,
        cpu: 256,
        memory: 512,
        minTasks: 1,
        maxTasks: 4,
        scaleOutQueueDepth: 10,
        alerts: ["cloudwatch"],
        minimumPriority: "notice",
        ruleMatching: "first",
        rulesReloadSeconds: 60,
        subnetIds: [],
        assignPublicIp: true,
        logRetentionDays: 90,
        maxReceiveCount: 5,
        visibilityTimeoutSeconds: 300,
      },
      context: { trustedAccounts: [], trustedNetworks: [] },
      tags: {},
    });
  });

  it.each([
    [true, "all"],
    [false, "none"],
    ["write", "write"],
  ])("maps managementEvents %p to %p", (value, mode) => {
    expect(validateConfig({ watchedBuckets: [{ name: "b-1", write: true }], managementEvents: value }, context).managementEvents).toBe(mode);
  });

  it("accepts an empty bucket list when management events are recorded", () => {
    expect(validateConfig({ watchedBuckets: [] }, context).watchedBuckets).toEqual([]);
  });

  it("keeps optional settings when they are given", () => {
    const config = validateConfig(
      {
        namePrefix: "acme-audit",
        watchedBuckets: [{ name: "eu-data", read: true, write: true, region: "eu-west-1", prefixes: ["a/", "b/"] }],
        trail: { kmsKeyArn: "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab", organization: true },
        connector: {
          image: `111122223333.dkr.ecr.us-east-1.amazonaws.com/detector@sha256:${"c0".repeat(32)}`,
          cpu: 1024,
          memory: 3072,
          minTasks: 0,
          maxTasks: 1,
          alerts: ["stdout", "sns", "webhook"],
          snsTopicArn: "arn:aws:sns:us-east-1:111122223333:alerts",
          webhookUrl: "https://hooks.example.com:8443/s3guard",
          alarmTopicArn: "arn:aws:sns:us-east-1:111122223333:oncall",
          subnetIds: ["subnet-0123456789abcdef0", "subnet-0abcdef1"],
          assignPublicIp: false,
        },
        tags: { team: "storage", "cost-center": "1234" },
      },
      context,
    );
    expect(config.namePrefix).toBe("acme-audit");
    expect(config.watchedBuckets).toEqual([{ name: "eu-data", access: "read-write", prefixes: ["a/", "b/"], region: "eu-west-1" }]);
    expect(config.trail.kmsKeyArn).toBe("arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab");
    expect(config.trail.organization).toBe(true);
    expect(config.connector).toMatchObject({
      image: `111122223333.dkr.ecr.us-east-1.amazonaws.com/detector@sha256:${"c0".repeat(32)}`,
      cpu: 1024,
      memory: 3072,
      minTasks: 0,
      maxTasks: 1,
      alerts: ["stdout", "sns", "webhook"],
      snsTopicArn: "arn:aws:sns:us-east-1:111122223333:alerts",
      webhookUrl: { from: "config", text: expect.any(SecretText) },
      alarmTopicArn: "arn:aws:sns:us-east-1:111122223333:oncall",
      subnetIds: ["subnet-0123456789abcdef0", "subnet-0abcdef1"],
      assignPublicIp: false,
    });
    expect(JSON.stringify(config.connector)).not.toContain("hooks.example.com");
    expect(config.tags).toEqual({ team: "storage", "cost-center": "1234" });
  });

  it("throws one ConfigError, a RunError Pulumi prints without a stack trace, listing every problem", () => {
    let error: unknown;
    try {
      validateConfig({ watchedBuckets: [{ name: "Bad_Bucket", read: true }], blockPublicAccess: "acount" }, { stack: "prod" });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect(pulumi.RunError.isInstance(error)).toBe(true);
    const configError = error as ConfigError;
    expect(configError.code).toBe("S3GUARD_INVALID_CONFIG");
    expect(configError.problems.map((p) => p.code)).toEqual(["INVALID_BUCKET_NAME", "INVALID_CHOICE"]);
    expect(configError.problems[0]).toMatchObject({ path: "s3guard:watchedBuckets[0].name", value: "Bad_Bucket" });
    expect(configError.message).toBe(
      [
        's3guard configuration of stack "prod" has 2 problems:',
        '  - s3guard:watchedBuckets[0].name: not a valid S3 bucket name (got "Bad_Bucket"); bucket names must use only lowercase letters, digits, dots and hyphens',
        '  - s3guard:blockPublicAccess: not an accepted value (got "acount"); use one of buckets, account, off',
        "Nothing was deployed. Fix Pulumi.prod.yaml (or run `pulumi config set --path ...`) and try again.",
      ].join("\n"),
    );
  });
});
