import { readConnectorConfig } from "../../../detector/src/connector/config";
import { availableCores } from "../../../detector/src/parallel/pool";

const QUEUE = "https://sqs.eu-west-1.amazonaws.com/123456789012/s3guard-notifications";

describe("the connector's configuration from the environment", () => {
  it("applies the documented defaults", () => {
    expect(readConnectorConfig({ S3GUARD_QUEUE_URL: QUEUE })).toEqual({
      ok: true,
      config: {
        queueUrl: QUEUE,
        rules: { bucket: undefined, prefix: "rules/", reloadSeconds: 60 },
        outputs: [{ name: "stdout", type: "stdout", format: "json", filters: {} }],
        logGroup: "cloud-connector",
        logStream: "alerts",
        minimumPriority: "Debug",
        ruleMatching: "first",
        healthPort: 8080,
        healthHost: "127.0.0.1",
        maxLogBytes: 1024 ** 3,
        dedupSeconds: 3600,
        dedupMaxIds: 100_000,
        deliveryLeaseSeconds: 60,
        concurrency: 4,
        workers: availableCores(),
        receiveWaitSeconds: 20,
        shutdownSeconds: 25,
      },
    });
  });

  it("reads every setting", () => {
    const r = readConnectorConfig({
      S3GUARD_QUEUE_URL: QUEUE,
      S3GUARD_RULES_BUCKET: "rules-bucket",
      S3GUARD_RULES_PREFIX: "active/",
      S3GUARD_RULES_RELOAD_SECONDS: "30",
      S3GUARD_ALERTS: "cloudwatch, securityhub,sns,webhook,stdout",
      S3GUARD_LOG_GROUP: "g",
      S3GUARD_LOG_STREAM: "s",
      S3GUARD_SNS_TOPIC_ARN: "arn:aws:sns:eu-west-1:123456789012:alerts",
      S3GUARD_WEBHOOK_URL: "http://falcosidekick:2801/",
      S3GUARD_MIN_PRIORITY: "warning",
      S3GUARD_RULE_MATCHING: "all",
      S3GUARD_HEALTH_PORT: "9090",
      S3GUARD_HEALTH_HOST: "0.0.0.0",
      S3GUARD_MAX_LOG_BYTES: "256MiB",
      S3GUARD_DEDUP_SECONDS: "600",
      S3GUARD_DELIVERY_LEASE_SECONDS: "20",
      S3GUARD_CONCURRENCY: "8",
      S3GUARD_WORKERS: "3",
    });
    expect(r.ok && r.config).toMatchObject({
      rules: { bucket: "rules-bucket", prefix: "active/", reloadSeconds: 30 },
      outputs: [
        { name: "cloudwatch", type: "cloudwatch", filters: {} },
        { name: "securityhub", type: "securityhub", filters: {} },
        { name: "sns", type: "sns", topicArn: "arn:aws:sns:eu-west-1:123456789012:alerts", filters: {} },
        { name: "webhook", type: "webhook", url: { value: "http://falcosidekick:2801/" }, filters: {} },
        { name: "stdout", type: "stdout", format: "json", filters: {} },
      ],
      minimumPriority: "Warning",
      ruleMatching: "all",
      healthPort: 9090,
      healthHost: "0.0.0.0",
      maxLogBytes: 256 * 1024 * 1024,
      dedupSeconds: 600,
      deliveryLeaseSeconds: 20,
      concurrency: 8,
      workers: 3,
    });
  });

  it("refuses a number of workers that is not a whole number from 1", () => {
    for (const bad of ["0", "1.5", "two", "-1", "257"]) {
      const r = readConnectorConfig({ S3GUARD_QUEUE_URL: QUEUE, S3GUARD_WORKERS: bad });
      expect(r).toEqual({ ok: false, errors: [`S3GUARD_WORKERS=${JSON.stringify(bad)}: must be a whole number of threads from 1 to 256 (default: the cores available, ${availableCores()})`] });
    }
  });

  it("reports every problem at once, naming the variable and what is allowed", () => {
    const r = readConnectorConfig({ S3GUARD_ALERTS: "stdout,pagerduty,sns,webhook", S3GUARD_MIN_PRIORITY: "loud", S3GUARD_RULE_MATCHING: "most", S3GUARD_HEALTH_PORT: "http" });
    expect(r).toEqual({
      ok: false,
      errors: [
        "S3GUARD_QUEUE_URL is required: the URL of the SQS queue that receives the trail's delivery notifications",
        "S3GUARD_ALERTS: unknown sink 'pagerduty'; allowed: stdout, cloudwatch, securityhub, sns, webhook (for Slack, Teams, PagerDuty or Opsgenie, use S3GUARD_OUTPUTS)",
        "S3GUARD_ALERTS includes sns but S3GUARD_SNS_TOPIC_ARN is not set: give the ARN of the topic to publish alerts to",
        "S3GUARD_ALERTS includes webhook but S3GUARD_WEBHOOK_URL is not set: give the URL to POST alerts to (e.g. Falcosidekick's http://falcosidekick:2801/)",
        'S3GUARD_MIN_PRIORITY="loud": must be one of emergency, alert, critical, error, warning, notice, info, debug',
        'S3GUARD_RULE_MATCHING="most": must be first or all',
        "S3GUARD_HEALTH_PORT=\"http\": must be a whole number from 0 to 65535 (default 8080)",
      ],
    });
  });

  it("listens on loopback unless told otherwise, and reads sizes with units", () => {
    const r = readConnectorConfig({ S3GUARD_QUEUE_URL: QUEUE, S3GUARD_HEALTH_HOST: "everywhere", S3GUARD_MAX_LOG_BYTES: "a lot" });
    expect(r).toEqual({
      ok: false,
      errors: [
        'S3GUARD_HEALTH_HOST="everywhere": must be an IP address to listen on, e.g. 127.0.0.1 (the default: the container\'s own health check) or 0.0.0.0 (every interface, to scrape /metrics from outside the task)',
        'S3GUARD_MAX_LOG_BYTES="a lot": must be a size in bytes, e.g. 1073741824, 512MiB or 2GiB (default 1GiB)',
      ],
    });
    const ok = readConnectorConfig({ S3GUARD_QUEUE_URL: QUEUE, S3GUARD_HEALTH_HOST: "::1", S3GUARD_MAX_LOG_BYTES: "2 GiB" });
    expect(ok.ok && ok.config).toMatchObject({ healthHost: "::1", maxLogBytes: 2 * 1024 ** 3 });
  });

  it("reads the outputs file from S3GUARD_OUTPUTS, as the stack ships it", () => {
    const r = readConnectorConfig({
      S3GUARD_QUEUE_URL: QUEUE,
      S3GUARD_OUTPUTS: JSON.stringify({ outputs: [{ name: "chat", type: "slack", urlEnv: "S3GUARD_SECRET_CHAT_URL", minimumPriority: "warning" }, { name: "siem", type: "webhook", url: "https://siem.example.com/ingest", tags: ["aws_s3"] }] }),
    });
    expect(r.ok && r.config.outputs).toEqual([
      { name: "chat", type: "slack", url: { env: "S3GUARD_SECRET_CHAT_URL" }, filters: { minimumPriority: "Warning" } },
      { name: "siem", type: "webhook", url: { value: "https://siem.example.com/ingest" }, filters: { tags: ["aws_s3"] } },
    ]);
  });

  it("refuses outputs given in two places", () => {
    const r = readConnectorConfig({ S3GUARD_QUEUE_URL: QUEUE, S3GUARD_OUTPUTS: "outputs: [{name: a, type: stdout}]", S3GUARD_ALERTS: "stdout" });
    expect(!r.ok && r.errors).toEqual(["S3GUARD_OUTPUTS and S3GUARD_ALERTS are both set: give the outputs in one place (S3GUARD_OUTPUTS, or S3GUARD_OUTPUTS_FILE; S3GUARD_ALERTS is the older form)"]);
  });

  it("names the output and key of every problem in S3GUARD_OUTPUTS", () => {
    const r = readConnectorConfig({ S3GUARD_QUEUE_URL: QUEUE, S3GUARD_OUTPUTS: "outputs:\n  - {name: chat, type: slak, url: 'https://x.example.com/'}\n" });
    expect(!r.ok && r.errors).toEqual(['S3GUARD_OUTPUTS: outputs[0] (chat).type: unknown type "slak" (did you mean "slack"?); use one of slack, teams, pagerduty, opsgenie, webhook, sns, securityhub, cloudwatch, stdout']);
  });

  it("refuses a webhook URL with a user name and password, which fetch cannot send, without echoing the password", () => {
    const r = readConnectorConfig({ S3GUARD_QUEUE_URL: QUEUE, S3GUARD_ALERTS: "webhook", S3GUARD_WEBHOOK_URL: "https://alerts:hunter2secret@siem.example.com/ingest" });
    expect(r.ok).toBe(false);
    const errors = (r as { errors: string[] }).errors;
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/^S3GUARD_WEBHOOK_URL: the URL holds a user name or password \(user:password@\), which fetch refuses/);
    expect(errors[0]).not.toContain("hunter2secret");
  });

  it("keeps accepting an older webhook URL with a token in its query (it works, and logs mask it)", () => {
    const r = readConnectorConfig({ S3GUARD_QUEUE_URL: QUEUE, S3GUARD_ALERTS: "webhook", S3GUARD_WEBHOOK_URL: "https://siem.example.com/ingest?token=abc123def456" });
    expect(r.ok).toBe(true);
  });
});

