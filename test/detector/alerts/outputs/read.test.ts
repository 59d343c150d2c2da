import { checkOutputsAgainstRules } from "../../../../detector/src/alerts/outputs/check";
import { readOutputsFile } from "../../../../detector/src/alerts/outputs/read";

const errorsOf = (yaml: string) => readOutputsFile(yaml, "outputs.yaml").problems.map((p) => `${p.path}: ${p.message}`);

describe("the outputs file", () => {
  it("reads the documented shape: types, credentials, filters and templates", () => {
    const read = readOutputsFile(
      `outputs:
  - name: chat
    type: slack
    urlSecret: s3guard/slack-webhook
    minimumPriority: warning
    title: "{{priority}} {{rule}} by {{principal}}"
  - name: storage-team
    type: webhook
    url: https://siem.example.com/ingest
    tags: [aws_s3]
    rules: ["S3 *"]
    accounts: ["012345678901"]
    buckets: [prod-*]
  - name: oncall
    type: pagerduty
    routingKeyEnv: PD_ROUTING_KEY
    minimumPriority: critical
  - name: log
    type: stdout
    format: text
`,
      "outputs.yaml",
    );
    expect(read.problems).toEqual([]);
    expect(read.outputs).toEqual([
      { name: "chat", type: "slack", url: { secret: "s3guard/slack-webhook" }, title: "{{priority}} {{rule}} by {{principal}}", filters: { minimumPriority: "Warning" } },
      { name: "storage-team", type: "webhook", url: { value: "https://siem.example.com/ingest" }, filters: { tags: ["aws_s3"], rules: ["S3 *"], accounts: ["012345678901"], buckets: ["prod-*"] } },
      { name: "oncall", type: "pagerduty", routingKey: { env: "PD_ROUTING_KEY" }, url: "https://events.pagerduty.com/v2/enqueue", filters: { minimumPriority: "Critical" } },
      { name: "log", type: "stdout", format: "text", filters: {} },
    ]);
  });

  it("names the output and the key of each problem, with a did-you-mean", () => {
    expect(
      errorsOf(`outputs:
  - {name: chat, type: slak, url: "https://x.example.com/"}
  - {name: pager, type: pagerduty, routingKeyEnv: PD, minimumPriorty: error}
  - {name: teams, type: teams, urlEnv: T, topicArn: "arn:aws:sns:us-east-1:111122223333:x"}
  - {name: chat, type: stdout, minimumPriority: loud, tags: aws_s3}
`),
    ).toEqual([
      'outputs.yaml: outputs[0] (chat).type: unknown type "slak" (did you mean "slack"?); use one of slack, teams, pagerduty, opsgenie, webhook, sns, securityhub, cloudwatch, stdout',
      "outputs.yaml: outputs[1] (pager).minimumPriorty: unknown key (did you mean \"minimumPriority\"?); pagerduty outputs take name, type, minimumPriority, rules, tags, accounts, buckets, routingKey, routingKeyEnv, routingKeySecret, title, text, url",
      "outputs.yaml: outputs[2] (teams).topicArn: not a setting of type teams (only of sns)",
      'outputs.yaml: outputs[3] (chat).minimumPriority: "loud" is not a priority; use one of emergency, alert, critical, error, warning, notice, informational, debug',
      'outputs.yaml: outputs[3] (chat).tags: expected a list of one or more non-empty strings, e.g. tags: [aws_s3]; got "aws_s3"',
      "outputs.yaml: outputs[3] (chat).name: another output is already named 'chat'; give each output its own name",
    ]);
  });

  it("refuses credentials written in clear text: user info, token queries, webhook URLs that are tokens, keys", () => {
    const errors = errorsOf(`outputs:
  - {name: a, type: webhook, url: "https://ops:hunter2@siem.example.com/in"}
  - {name: b, type: webhook, url: "https://siem.example.com/in?token=abc"}
  - {name: c, type: slack, url: "https://hooks.slack.com/services/T0/B0/XYZ"}
  - {name: d, type: opsgenie, apiKey: "0123-4567"}
  - {name: e, type: slack, url: "ftp://chat.example.com/"}
`);
    expect(errors.map((e) => e.split(": ")[1])).toEqual(["outputs[0] (a).url", "outputs[1] (b).url", "outputs[2] (c).url", "outputs[3] (d).apiKey", "outputs[4] (e).url"]);
    expect(errors[0]).toMatch(/holds a user name or password before the host \(user:password@\).*urlSecret \(Secrets Manager\) or urlEnv/);
    expect(errors[1]).toMatch(/holds a credential in its query \(token=\.\.\.\)/);
    expect(errors[2]).toMatch(/a Slack webhook URL, whose path is its token/);
    expect(errors[3]).toMatch(/a apiKey is a credential and must not be written in clear text: use apiKeySecret/);
    expect(errors[4]).toMatch(/not an http:\/\/ or https:\/\/ URL/);
    expect(errors.join("\n")).not.toContain("hunter2");
  });

  it("checks templates when the file is read", () => {
    expect(errorsOf(`outputs:\n  - {name: a, type: slack, urlEnv: A, title: "{{rule}} by {{prinicpal}}"}\n`)).toEqual([
      "outputs.yaml: outputs[0] (a).title: unknown placeholder '{{prinicpal}}' (did you mean {{principal}}?): use a fact (rule, priority, desc, source, tags, time, hostname, id, message, output, runbook, principal, bucket, sourceIp, account, region) or a Falco field (s3guard fields lists them) (at character 13)",
    ]);
  });

  it("says what the file must hold when it is not an outputs file", () => {
    expect(errorsOf("- name: a\n")[0]).toMatch(/^outputs.yaml: expected a mapping with an 'outputs:' list/);
    expect(errorsOf("outputs: []\n")[0]).toMatch(/^outputs.yaml: outputs: expected a list of one or more outputs/);
    expect(errorsOf("outputs: [\n")[0]).toMatch(/^outputs.yaml: /);
  });
});

describe("outputs checked against the loaded rules", () => {
  const rules = [
    { name: "S3 bucket policy changed", tags: ["aws", "aws_s3"], priority: "Warning" as const },
    { name: "Console login without MFA", tags: ["aws", "aws_iam"], priority: "Notice" as const },
  ];
  it("warns of rule patterns and tags no rule has, and of filters no rule passes together", () => {
    const { outputs } = readOutputsFile(
      `outputs:
  - {name: a, type: stdout, rules: ["S3 bucket polcy changed"], tags: [aws_s4]}
  - {name: b, type: stdout, tags: [aws_iam], minimumPriority: warning}
  - {name: c, type: stdout, rules: ["S3 *"], tags: [aws_s3]}
`,
      "f",
    );
    expect(checkOutputsAgainstRules(outputs, rules, "f: outputs").map((p) => `${p.level} ${p.path}: ${p.message}`)).toEqual([
      "warning f: outputs[0] (a).rules[0]: 'S3 bucket polcy changed' matches no loaded rule (did you mean 'S3 bucket policy changed'?)",
      "warning f: outputs[0] (a).tags[0]: no loaded rule has the tag 'aws_s4' (did you mean 'aws_s3'?)",
      "warning f: outputs[0] (a): no loaded rule passes rules [S3 bucket polcy changed] and tags [aws_s4] together: this output will receive no alert",
      "warning f: outputs[1] (b): no loaded rule passes minimumPriority warning and tags [aws_iam] together: this output will receive no alert",
    ]);
  });
});
