import { IMAGE_BY_DIGEST } from "../../components/connector/image";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { connectorEnvironment, connectorHealthCheck } from "../../components/connector/environment";
import { listRuleFiles } from "../../components/connector/ruleFiles";
import { ignoreAutoscaledDesiredCount } from "../../components/connector/transforms";

describe("connector environment (the contract with detector/)", () => {
  const input = {
    queueUrl: "https://sqs.us-east-1.amazonaws.com/111122223333/events",
    rulesBucket: "rules-bucket",
    region: "us-east-1",
    alerts: ["cloudwatch", "securityhub"] as const,
    logGroupName: "cloud-connector",
    minimumPriority: "notice" as const,
    ruleMatching: "all" as const,
    rulesReloadSeconds: 60,
  };

  it("sets every variable the connector reads, sorted by name", () => {
    expect(connectorEnvironment({ ...input, alerts: [...input.alerts] })).toEqual([
      { name: "AWS_REGION", value: "us-east-1" },
      { name: "S3GUARD_ALERTS", value: "cloudwatch,securityhub" },
      { name: "S3GUARD_HEALTH_PORT", value: "8080" },
      { name: "S3GUARD_LOG_GROUP", value: "cloud-connector" },
      { name: "S3GUARD_LOG_STREAM", value: "alerts" },
      { name: "S3GUARD_MIN_PRIORITY", value: "notice" },
      { name: "S3GUARD_QUEUE_URL", value: "https://sqs.us-east-1.amazonaws.com/111122223333/events" },
      { name: "S3GUARD_RULES_BUCKET", value: "rules-bucket" },
      { name: "S3GUARD_RULES_PREFIX", value: "rules/" },
      { name: "S3GUARD_RULES_RELOAD_SECONDS", value: "60" },
      { name: "S3GUARD_RULE_MATCHING", value: "all" },
    ]);
  });

  it("adds the SNS topic and state table only when they are used, and never the webhook URL (a secret)", () => {
    const env = connectorEnvironment({
      ...input,
      alerts: ["sns", "webhook"],
      snsTopicArn: "arn:aws:sns:us-east-1:111122223333:alerts",
      stateTable: "state-table",
    });
    expect(env.filter((v) => ["S3GUARD_ALERTS", "S3GUARD_SNS_TOPIC_ARN", "S3GUARD_WEBHOOK_URL", "S3GUARD_STATE_TABLE"].includes(v.name))).toEqual([
      { name: "S3GUARD_ALERTS", value: "sns,webhook" },
      { name: "S3GUARD_SNS_TOPIC_ARN", value: "arn:aws:sns:us-east-1:111122223333:alerts" },
      { name: "S3GUARD_STATE_TABLE", value: "state-table" },
    ]);
    const withoutSinks = connectorEnvironment({ ...input, alerts: ["stdout"], snsTopicArn: "arn:aws:sns:us-east-1:111122223333:alerts" });
    expect(withoutSinks.map((v) => v.name)).not.toContain("S3GUARD_SNS_TOPIC_ARN");
  });

  it("probes GET /healthz with the image's own node health check script, by absolute paths", () => {
    expect(connectorHealthCheck()).toEqual({
      command: ["CMD", "/usr/local/bin/node", "/app/detector/bin/healthcheck.js"],
      interval: 30,
      timeout: 5,
      retries: 3,
      startPeriod: 60,
    });
  });
});

describe("listRuleFiles", () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "s3guard-rules-"));
  });
  afterEach(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("takes the folder's own .yaml and .yml files in name order, not fixtures in subfolders or other files", () => {
    fs.writeFileSync(path.join(dir, "z_custom.yml"), "- rule: z\n");
    fs.writeFileSync(path.join(dir, "aws_cloudtrail_rules.yaml"), "- rule: a\n");
    fs.writeFileSync(path.join(dir, "README.md"), "# rules\n");
    fs.mkdirSync(path.join(dir, "tests"));
    fs.writeFileSync(path.join(dir, "tests", "fixture.yaml"), "events: []\n");
    expect(listRuleFiles(dir, "rules/")).toEqual([
      { name: "aws_cloudtrail_rules.yaml", key: "rules/aws_cloudtrail_rules.yaml", content: "- rule: a\n" },
      { name: "z_custom.yml", key: "rules/z_custom.yml", content: "- rule: z\n" },
    ]);
  });

  it("treats a missing folder as no rules", () => {
    expect(listRuleFiles(path.join(dir, "absent"), "rules/")).toEqual([]);
  });
});

describe("ignoreAutoscaledDesiredCount", () => {
  const transformArgs = (type: string): pulumi.ResourceTransformArgs => ({
    custom: true,
    type,
    name: "svc",
    props: { desiredCount: 1, cluster: "c" },
    opts: { ignoreChanges: ["tags"] },
  });

  it("makes the ECS service ignore desiredCount, keeping its other options", async () => {
    const result = await ignoreAutoscaledDesiredCount(transformArgs("aws:ecs/service:Service"));
    expect(result?.props).toEqual({ desiredCount: 1, cluster: "c" });
    expect(result?.opts.ignoreChanges).toEqual(["tags", "desiredCount"]);
  });

  it("leaves every other resource alone", async () => {
    expect(await ignoreAutoscaledDesiredCount(transformArgs("aws:ecs/taskDefinition:TaskDefinition"))).toBeUndefined();
  });
});

describe("IMAGE_BY_DIGEST", () => {
  const digest = "ab".repeat(32);
  it.each([
    `111122223333.dkr.ecr.us-east-1.amazonaws.com/s3guard/detector@sha256:${digest}`,
    `ghcr.io/acme/s3guard@sha256:${digest}`,
    `registry.local:5000/detector@sha256:${digest}`,
    `detector@sha256:${digest}`,
  ])("accepts %s", (image) => expect(IMAGE_BY_DIGEST.test(image)).toBe(true));
  it.each([
    "111122223333.dkr.ecr.us-east-1.amazonaws.com/detector:1.4.0",
    `detector:1.4.0@sha256:${digest}`,
    `Detector@sha256:${digest}`,
    `detector@sha256:${digest.slice(2)}`,
    `detector@sha256:${digest.toUpperCase()}`,
  ])("refuses %s", (image) => expect(IMAGE_BY_DIGEST.test(image)).toBe(false));
});
