/**
 * `s3guard:connector.outputs` under Pulumi's mocks: the program ships the outputs to the connector in
 * S3GUARD_OUTPUTS, each credential reaching the container through its `secrets` from Secrets
 * Manager (a Pulumi secret stored by the stack, or a secret named by ARN), never in clear text; the
 * execution role may read exactly those secrets, and the task role gets what the AWS outputs need.
 */
import { readConnectorConfig } from "../../detector/src/connector/config";
import { ACCOUNT_ID, REGION } from "./helpers/mockCloud";
import { one, policyOf, statement } from "./helpers/query";
import { plainOccurrences, ProgramRun, readStackFile, runIndex } from "./helpers/runProgram";

const SLACK_URL = "https://hooks.slack.com/services/T000/B000/SLACKTOKEN0123456789";
const PAGERDUTY_SECRET = `arn:aws:secretsmanager:${REGION}:${ACCOUNT_ID}:secret:s3guard/pagerduty-Zy9Xw8`;
const TOPIC = `arn:aws:sns:${REGION}:${ACCOUNT_ID}:s3-alerts`;

const dev = readStackFile("Pulumi.dev.yaml");
const { alerts: _older, ...devConnector } = dev["s3guard:connector"] as Record<string, unknown>;
const stack = {
  ...dev,
  "s3guard:connector": {
    ...devConnector,
    outputs: [
      { name: "chat", type: "slack", url: SLACK_URL, minimumPriority: "warning", title: "{{priority}} {{rule}} by {{principal}}" },
      { name: "oncall", type: "pagerduty", routingKey: { secretsManager: PAGERDUTY_SECRET }, minimumPriority: "critical" },
      { name: "storage-team", type: "webhook", url: "https://siem.example.com:8443/ingest", tags: ["aws_s3"] },
      { name: "topic", type: "sns", topicArn: TOPIC },
      { name: "audit", type: "cloudwatch" },
    ],
  },
};
const container = (run: ProgramRun) => one(run, "awsx:ecs:FargateService").inputs.taskDefinitionArgs.container;
const environment = (run: ProgramRun) => Object.fromEntries((container(run).environment as { name: string; value: string }[]).map((v) => [v.name, v.value]));

describe("the program with s3guard:connector.outputs", () => {
  let run: ProgramRun;
  beforeAll(async () => {
    run = await runIndex(stack, { secretKeys: ["s3guard:connector"] });
    if (run.error !== undefined) throw run.error;
  });

  it("ships the outputs in S3GUARD_OUTPUTS, credentials named by variables, and no S3GUARD_ALERTS", () => {
    const env = environment(run);
    expect(env.S3GUARD_ALERTS).toBeUndefined();
    const shipped = JSON.parse(env.S3GUARD_OUTPUTS).outputs;
    expect(shipped.map((o: { name: string }) => o.name)).toEqual(["chat", "oncall", "storage-team", "topic", "audit"]);
    expect(shipped[0]).toEqual({ name: "chat", type: "slack", urlEnv: "S3GUARD_OUTPUT_CHAT_URL", minimumPriority: "warning", title: "{{priority}} {{rule}} by {{principal}}" });
    expect(shipped[1]).toMatchObject({ name: "oncall", routingKeyEnv: "S3GUARD_OUTPUT_ONCALL_ROUTING_KEY", url: "https://events.pagerduty.com/v2/enqueue" });
  });

  it("ships what the connector itself accepts", () => {
    const env = environment(run);
    const read = readConnectorConfig({ ...env, S3GUARD_QUEUE_URL: `https://sqs.${REGION}.amazonaws.com/${ACCOUNT_ID}/q` });
    expect(read.ok && read.config.outputs.map((o) => `${o.name}:${o.type}`)).toEqual(["chat:slack", "oncall:pagerduty", "storage-team:webhook", "topic:sns", "audit:cloudwatch"]);
  });

  it("gives every credential to the container through its secrets, from Secrets Manager, never in clear text", () => {
    expect(plainOccurrences(run, "SLACKTOKEN0123456789")).toEqual([]);
    const secrets = container(run).secrets as { name: string; valueFrom: string }[];
    // Under a secret key every URL is taken for a secret, the clean webhook one too: --secret may hide a token we cannot see.
    expect(secrets.map((s) => s.name)).toEqual(["S3GUARD_OUTPUT_CHAT_URL", "S3GUARD_OUTPUT_ONCALL_ROUTING_KEY", "S3GUARD_OUTPUT_STORAGE_TEAM_URL"]);
    expect(secrets[0].valueFrom).toMatch(new RegExp(`^arn:aws:secretsmanager:${REGION}:${ACCOUNT_ID}:secret:s3guard-dev-connector-output-chat-url-.*:::`));
    expect(secrets[1].valueFrom).toBe(PAGERDUTY_SECRET);
    const read = statement(policyOf(one(run, "aws:iam/rolePolicy:RolePolicy", "s3guard-dev-connector-execution")), "ReadContainerSecrets");
    expect(read.Resource).toHaveLength(3);
    expect(read.Resource).toContain(PAGERDUTY_SECRET);
  });

  it("gives the task role exactly what the AWS outputs need, and opens the webhook's port", () => {
    const task = policyOf(one(run, "aws:iam/rolePolicy:RolePolicy", "s3guard-dev-connector-task"));
    expect(statement(task, "PublishAlerts").Resource).toBe(TOPIC);
    expect(statement(task, "WriteAlertsLogGroup").Resource).toMatch(/:log-group:s3guard-dev-connector:\*$/);
    expect(JSON.stringify(task)).not.toMatch(/securityhub|secretsmanager/);
    const ports = (one(run, "aws:ec2/securityGroup:SecurityGroup").inputs.egress as { fromPort: number }[]).map((e) => e.fromPort).sort();
    expect(ports).toEqual([443, 8443]);
  });
});
