import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { checkConfig } from "../../components/config";
import { outputWarnings } from "../../components/configOutputs";
import { connectorEnvironment } from "../../components/connector/environment";
import { taskRolePolicy, TaskRolePolicyInput } from "../../components/policies/connectorPolicies";
import { readOutputsFile } from "../../detector/src/alerts/outputs/read";
import { outputsFile } from "../../detector/src/alerts/outputs/write";

const base = { watchedBuckets: [{ name: "customer-data-dev", read: true, write: true }] };
const SLACK_SECRET = "arn:aws:secretsmanager:us-east-1:111122223333:secret:s3guard/slack-AbCdEf";
const outputs = [
  { name: "chat", type: "slack", urlSecret: SLACK_SECRET, minimumPriority: "warning" },
  { name: "storage-team", type: "webhook", url: "https://siem.example.com:8443/ingest", tags: ["aws_s3"] },
  { name: "topic", type: "sns", topicArn: "arn:aws:sns:us-east-1:111122223333:s3-alerts", rules: ["S3 *"] },
  { name: "findings", type: "securityhub", minimumPriority: "error" },
];

const check = (connector: Record<string, unknown>) => checkConfig({ ...base, connector }, { stack: "dev", region: "us-east-1" });
const messages = (connector: Record<string, unknown>) => check(connector).problems.map((p) => p.message);

describe("s3guard:connector.outputs, checked before deploy with the detector's own reader", () => {
  it("accepts the outputs list, inline", () => {
    const { config, problems } = check({ outputs });
    expect(problems).toEqual([]);
    expect(config?.connector.outputs?.map((o) => `${o.name}:${o.type}`)).toEqual(["chat:slack", "storage-team:webhook", "topic:sns", "findings:securityhub"]);
  });

  it("accepts the path of the very file s3guard scan --outputs reads", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "s3guard-outputs-"));
    const file = path.join(dir, "outputs.yaml");
    fs.writeFileSync(file, `outputs:\n  - {name: chat, type: slack, urlSecret: "${SLACK_SECRET}"}\n`);
    const { config, problems } = check({ outputs: file });
    expect(problems).toEqual([]);
    expect(config?.connector.outputs).toEqual([{ name: "chat", type: "slack", url: { secret: SLACK_SECRET }, filters: {} }]);
    expect(config?.connector.outputSecrets).toEqual([{ output: "chat", key: "url", variable: "S3GUARD_OUTPUT_CHAT_URL", setting: { from: "secretsManager", arn: SLACK_SECRET } }]);
    expect(messages({ outputs: path.join(dir, "missing.yaml") })[0]).toMatch(/^s3guard:connector.outputs: cannot read the outputs file .*missing\.yaml \(ENOENT\)/);
  });

  it("names the output and key of each problem, and refuses what a deployed connector cannot use", () => {
    expect(
      messages({
        outputs: [
          { name: "chat", type: "slak", urlSecret: SLACK_SECRET },
          { name: "pager", type: "pagerduty", routingKeyEnv: "PD_KEY" },
          { name: "og", type: "opsgenie", apiKeySecret: "s3guard/opsgenie" },
          { name: "plain", type: "webhook", url: "http://siem.internal/in" },
          { name: "creds", type: "webhook", url: "https://ops:hunter2@siem.example.com/in" },
        ],
      }),
    ).toEqual([
      's3guard:connector.outputs[0] (chat).type: unknown type "slak" (did you mean "slack"?); use one of slack, teams, pagerduty, opsgenie, webhook, sns, securityhub, cloudwatch, stdout',
      "s3guard:connector.outputs[4] (creds).url: the URL holds a user name or password before the host (user:password@), which would be stored and shown in clear text: put the URL in a secret and give urlSecret (Secrets Manager) or urlEnv (environment variable) instead; user:password@ from a secret is sent as HTTP Basic authentication",
      "s3guard:connector.outputs[1] (pager).routingKeyEnv: an environment variable is for s3guard scan; a deployed connector takes routingKey as a Pulumi secret (pulumi config set --secret --path 's3guard:connector.outputs[1].routingKey' ...), {secretsManager: ARN}, or routingKeySecret with a Secrets Manager secret's ARN",
      "s3guard:connector.outputs[2] (og).apiKeySecret: 's3guard/opsgenie' is not the full ARN of a Secrets Manager secret, which ECS needs to inject it: use arn:aws:secretsmanager:<region>:<account>:secret:<name>-<6 characters> (the console shows it)",
      "s3guard:connector.outputs[3] (plain).url: not an https:// URL: a deployed connector sends alerts over TLS only",
    ]);
  });

  it("refuses the older alerts and snsTopicArn beside it", () => {
    expect(messages({ outputs, alerts: ["sns"], snsTopicArn: "arn:aws:sns:us-east-1:111122223333:x" }).map((m) => m.split(":").slice(0, 2).join(":"))).toEqual(["s3guard:connector.alerts", "s3guard:connector.snsTopicArn"]);
  });

  it("refuses an older webhookUrl with user:password@, which fetch never sent, without showing the password", () => {
    const raw = { ...base, connector: { alerts: ["webhook"], webhookUrl: "https://ops:hunter2@siem.example.com/in" } };
    const problems = checkConfig(raw, { stack: "dev", secrets: { isSecret: (key) => key === "connector" } }).problems;
    expect(problems.map((p) => [p.code, p.path])).toEqual([["INVALID_SECRET", "s3guard:connector.webhookUrl"]]);
    expect(problems[0].message).toMatch(/the URL holds a user name or password \(user:password@\), which fetch refuses/);
    expect(problems[0].message).not.toContain("hunter2");
  });

  it("takes a routing key only from a secret: clear text is refused without being shown", () => {
    const problems = checkConfig({ ...base, connector: { outputs: [{ name: "oncall", type: "pagerduty", routingKey: "R0UTINGKEY0123456789" }] } }, { stack: "dev", secrets: { isSecret: () => false } }).problems;
    expect(problems.map((p) => [p.code, p.path])).toEqual([["PLAINTEXT_SECRET", "s3guard:connector.outputs[0].routingKey"]]);
    expect(problems[0].message).not.toContain("R0UTINGKEY");
  });
});

describe("the outputs shipped to the connector", () => {
  const specs = check({ outputs }).config!.connector.outputs!;

  it("go in S3GUARD_OUTPUTS, credentials named by the environment variables ECS fills from the secrets", () => {
    const env = connectorEnvironment({
      queueUrl: "https://sqs.us-east-1.amazonaws.com/111122223333/events",
      rulesBucket: "rules",
      region: "us-east-1",
      alerts: ["cloudwatch"],
      logGroupName: "cloud-connector",
      minimumPriority: "notice",
      ruleMatching: "first",
      rulesReloadSeconds: 60,
      outputs: specs,
    });
    const names = env.map((e) => e.name);
    expect(names).toContain("S3GUARD_OUTPUTS");
    expect(names).not.toContain("S3GUARD_ALERTS");
    const shipped = JSON.parse(env.find((e) => e.name === "S3GUARD_OUTPUTS")!.value);
    expect(shipped.outputs[0]).toEqual({ name: "chat", type: "slack", urlEnv: "S3GUARD_OUTPUT_CHAT_URL", minimumPriority: "warning" });
    expect(JSON.stringify(shipped)).not.toContain("secretsmanager");
    // The connector reads back exactly what the stack validated.
    const reread = readOutputsFile(JSON.stringify(shipped), "S3GUARD_OUTPUTS");
    expect(reread.problems).toEqual([]);
    expect(reread.outputs.slice(1)).toEqual(specs.slice(1));
  });

  it("round-trip through the file shape", () => {
    const read = readOutputsFile(JSON.stringify(outputsFile(specs, (o, k) => `X_${o.name}_${k}`)), "f");
    expect(read.outputs[0]).toEqual({ ...specs[0], url: { env: "X_chat_url" } });
  });

  it("give the task role exactly what its AWS outputs need", () => {
    const input: TaskRolePolicyInput = {
      partition: "aws",
      region: "us-east-1",
      accountId: "111122223333",
      logBucketArns: ["arn:aws:s3:::trail-logs"],
      rulesBucketArn: "arn:aws:s3:::rules",
      rulesPrefix: "rules/",
      queueArn: "arn:aws:sqs:us-east-1:111122223333:events",
      logGroupArn: "arn:aws:logs:us-east-1:111122223333:log-group:cloud-connector",
      alerts: ["cloudwatch"],
      outputs: specs,
    };
    const sids = taskRolePolicy(input).Statement.map((s) => s.Sid);
    expect(sids).toEqual(["ReadTrailLogFiles", "ReadRules", "ListRules", "ConsumeQueue", "ImportFindings", "PublishAlerts"]);
    expect(taskRolePolicy(input).Statement.find((s) => s.Sid === "PublishAlerts")?.Resource).toBe("arn:aws:sns:us-east-1:111122223333:s3-alerts");
    const withLogs = taskRolePolicy({ ...input, outputs: [...specs, { name: "audit", type: "cloudwatch", logGroup: "security/alerts", filters: {} }] });
    expect(withLogs.Statement.find((s) => s.Sid === "WriteAlertsLogGroup")?.Resource).toBe("arn:aws:logs:us-east-1:111122223333:log-group:security/alerts:*");
  });
});

describe("outputs checked against the rules the stack uploads", () => {
  const rulesDir = path.join(__dirname, "..", "..", "rules");
  it("warns of a tag no bundled rule has, and counts the connector's own alerts as rules", () => {
    const specs = check({
      outputs: [
        { name: "typo", type: "stdout", tags: ["aws_s4"] },
        { name: "service", type: "stdout", rules: ["s3guard rules update rejected"] },
        { name: "storage", type: "stdout", tags: ["aws_s3"] },
      ],
    }).config!.connector.outputs!;
    expect(outputWarnings(specs, rulesDir, "notice")).toEqual([
      "s3guard:connector.outputs[0] (typo).tags[0]: no loaded rule has the tag 'aws_s4' (did you mean 'aws_s3'?)",
      "s3guard:connector.outputs[0] (typo): no loaded rule passes tags [aws_s4] together: this output will receive no alert",
    ]);
  });
});
