import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { WatchedBucket } from "../../policy/intent";
import { watchedBucketPolicies } from "../../policy/policies";
import { runPack } from "./harness";
import { declared, registered, setUp } from "./mocks";

/**
 * A small program written with the real @pulumi/aws resources the s3guard program declares, run under Pulumi's
 * mocks: the pack is applied to the inputs those resources send to the engine, so a wrong type token or property
 * name in a policy shows here rather than in a real preview.
 */

const watched: WatchedBucket[] = [
  { name: "invoices", read: true, write: true },
  { name: "exports", read: true, write: false, prefixes: ["monthly/"] },
];
const intent = Object.fromEntries(watchedBucketPolicies.map((name) => [name, { watchedBuckets: watched }]));
const fullBlock = { blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true };

interface Weakening {
  /** Leave this watched bucket without a public access block. */
  readonly unblocked?: string;
  readonly enableLogFileValidation?: boolean;
}

function dataSelector(name: string, readOnly: string | undefined, buckets: readonly WatchedBucket[]) {
  const arns = buckets.flatMap((b) => (b.prefixes ?? [""]).map((p) => `arn:aws:s3:::${b.name}/${p}`));
  return {
    name,
    fieldSelectors: [
      { field: "eventCategory", equals: ["Data"] },
      ...(readOnly ? [{ field: "readOnly", equals: [readOnly] }] : []),
      { field: "resources.ARN", startsWiths: arns },
      { field: "resources.type", equals: ["AWS::S3::Object"] },
    ],
  };
}

function program(prefix: string, weakening: Weakening = {}): pulumi.Resource[] {
  const resources: pulumi.Resource[] = [];
  for (const b of watched) {
    if (b.name !== weakening.unblocked) {
      resources.push(new aws.s3.BucketPublicAccessBlock(`${prefix}-${b.name}`, { bucket: b.name, ...fullBlock }));
    }
    resources.push(new aws.s3.BucketOwnershipControls(`${prefix}-${b.name}`, { bucket: b.name, rule: { objectOwnership: "BucketOwnerEnforced" } }));
  }
  const logBucket = new aws.s3.Bucket(`${prefix}-trail`, { bucket: `${prefix}-s3guard-trail` });
  const rulesBucket = new aws.s3.Bucket(`${prefix}-rules`, { bucket: `${prefix}-s3guard-rules` });
  for (const [name, bucket] of [[`${prefix}-trail`, logBucket], [`${prefix}-rules`, rulesBucket]] as const) {
    resources.push(
      bucket,
      new aws.s3.BucketPublicAccessBlock(name, { bucket: bucket.id, ...fullBlock }),
      new aws.s3.BucketVersioning(name, { bucket: bucket.id, versioningConfiguration: { status: "Enabled" } }),
    );
  }
  const both = watched.filter((b) => b.read && b.write);
  const readOnly = watched.filter((b) => b.read && !b.write);
  resources.push(
    new aws.s3.BucketServerSideEncryptionConfiguration(`${prefix}-trail`, {
      bucket: logBucket.id,
      rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms" }, bucketKeyEnabled: true }],
    }),
    new aws.cloudtrail.Trail(`${prefix}-trail`, {
      name: `${prefix}-s3guard`,
      s3BucketName: logBucket.id,
      isMultiRegionTrail: true,
      enableLogFileValidation: weakening.enableLogFileValidation ?? true,
      advancedEventSelectors: [dataSelector("reads and writes", undefined, both), dataSelector("reads", "true", readOnly)],
    }),
  );
  const queue = new aws.sqs.Queue(`${prefix}-events`, { sqsManagedSseEnabled: true });
  const role = new aws.iam.Role(`${prefix}-task`, {
    assumeRolePolicy: JSON.stringify({
      Version: "2012-10-17",
      Statement: [{ Effect: "Allow", Principal: { Service: "ecs-tasks.amazonaws.com" }, Action: "sts:AssumeRole" }],
    }),
  });
  resources.push(
    queue,
    role,
    new aws.iam.RolePolicy(`${prefix}-task`, {
      role: role.id,
      policy: pulumi.jsonStringify({
        Version: "2012-10-17",
        Statement: [
          { Effect: "Allow", Action: ["sqs:ReceiveMessage", "sqs:DeleteMessage"], Resource: queue.arn },
          { Effect: "Allow", Action: "s3:GetObject", Resource: [pulumi.interpolate`${rulesBucket.arn}/*`, pulumi.interpolate`${logBucket.arn}/AWSLogs/*`] },
        ],
      }),
    }),
    new aws.ec2.SecurityGroup(`${prefix}-connector`, {
      vpcId: "vpc-1",
      egress: [{ protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: ["0.0.0.0/0"] }],
    }),
  );
  return resources;
}

beforeAll(() => setUp());
beforeEach(() => {
  declared.length = 0;
});

describe("the policy pack on resources declared with @pulumi/aws under mocks", () => {
  it("passes the program that keeps every guardrail", async () => {
    await registered(program("good"));
    expect(declared.map((r) => r.type)).toContain("aws:cloudtrail/trail:Trail");
    expect(await runPack(declared, intent)).toEqual([]);
  });

  it("fails the program with a watched bucket left without a public access block and a trail without validation", async () => {
    await registered(program("weak", { unblocked: "invoices", enableLogFileValidation: false }));
    expect((await runPack(declared, intent)).map((r) => [r.policy, r.message.split(".")[0]])).toEqual([
      ["watched-buckets-block-public-access", 'Watched bucket "invoices" has no public access block, and this stack does not turn on the account-level block'],
      ["trail-validates-log-files", "The trail does not validate its log files, so nobody can prove that a delivered log file was not altered or deleted"],
    ]);
  });
});
