import { mkdtempSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { s3guard } from "../../support/cli";
import { baseEvent } from "../../support/events";
import { describeWithSharedData, sharedData } from "../../support/sharedData";

/** `s3guard scan --outputs FILE`: alerts routed to local receivers exactly as the connector routes them. */

const dir = mkdtempSync(path.join(tmpdir(), "s3guard-outputs-"));
const write = (name: string, content: string) => {
  const p = path.join(dir, name);
  writeFileSync(p, content);
  return p;
};

/** An HTTP endpoint recording every POSTed body, answering 200 (or what `status` says). */
class Receiver {
  readonly bodies: Array<Record<string, any>> = []; // eslint-disable-line @typescript-eslint/no-explicit-any
  readonly raw: string[] = [];
  readonly alertIds: string[] = [];
  private readonly server: Server;
  constructor(public status: (n: number) => number = () => 200) {
    this.server = createServer(async (req, res) => {
      let text = "";
      for await (const c of req) text += c;
      this.raw.push(text);
      this.bodies.push(JSON.parse(text));
      this.alertIds.push(String(req.headers["x-s3guard-alert-id"]));
      res.writeHead(this.status(this.bodies.length)).end();
    });
  }
  async start(): Promise<this> {
    await new Promise<void>((r) => this.server.listen(0, "127.0.0.1", r));
    return this;
  }
  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/hook`;
  }
  stop(): Promise<void> {
    return new Promise((r) => this.server.close(() => r()));
  }
}

const rules = write(
  "rules.yaml",
  `
- rule: Bucket created
  desc: a bucket was created
  condition: ct.name = CreateBucket
  output: bucket %s3.bucket created by %ct.user
  priority: NOTICE
  source: aws_cloudtrail
  tags: [aws, aws_s3]
- rule: Bucket deleted
  desc: a bucket was deleted
  condition: ct.name = DeleteBucket
  output: bucket %s3.bucket deleted by %ct.user
  priority: WARNING
  source: aws_cloudtrail
  tags: [aws]
- rule: Console login
  desc: someone signed in
  condition: ct.name = ConsoleLogin
  output: console login by %ct.user
  priority: CRITICAL
  source: aws_cloudtrail
  tags: [aws]
- rule: Object read
  desc: an object was read
  condition: ct.name = GetObject
  output: object read by %ct.user
  priority: INFO
  source: aws_cloudtrail
  tags: [aws]
`,
);
// E2 is E1 denied: as its own request it has its own eventID (an eventID already evaluated is not evaluated again).
const log = write("log.json", JSON.stringify({ Records: [baseEvent("E1"), { ...baseEvent("E2"), eventID: "EVT124" }, baseEvent("E3"), baseEvent("E4")] }));

describe("s3guard scan --outputs", () => {
  let chat: Receiver;
  let siem: Receiver;
  beforeEach(async () => {
    [chat, siem] = await Promise.all([new Receiver().start(), new Receiver().start()]);
  });
  afterEach(async () => {
    await Promise.all([chat.stop(), siem.stop()]);
  });

  const outputs = () =>
    write(
      "outputs.yaml",
      `outputs:
  - name: chat
    type: slack
    urlEnv: CHAT_URL
    minimumPriority: warning
  - name: storage-team
    type: webhook
    url: ${siem.url}
    tags: [aws_s3]
`,
    );

  it("sends Slack payloads for exactly the Warning and Critical alerts, and the aws_s3 alert as Falco JSON to the webhook", async () => {
    const plain = await s3guard(["scan", "--rules", rules, log]);
    const all = plain.stdout.trim().split("\n");
    expect(all.map((l) => JSON.parse(l).priority)).toEqual(["Notice", "Warning", "Critical", "Informational"]);

    const run = await s3guard(["scan", "--rules", rules, "--outputs", outputs(), log], undefined, { CHAT_URL: chat.url });
    expect(run.code).toBe(0);
    // Routed, not printed.
    expect(run.stdout).toBe("");
    expect(chat.bodies.map((b) => b.attachments[0].blocks[0].text.text)).toEqual(["Warning: Bucket deleted", "Critical: Console login"]);
    expect(chat.bodies.map((b) => b.attachments[0].color)).toEqual(["#f9a825", "#d32f2f"]);
    // The webhook gets Falco's JSON alert, byte for byte the line scan prints.
    expect(siem.raw).toEqual([all[0]]);
    expect(siem.bodies[0]).toMatchObject({ rule: "Bucket created", tags: ["aws", "aws_s3"] });
    expect(run.stderr).toContain("output chat (slack): 2 sent");
    expect(run.stderr).toContain("output storage-team (webhook): 1 sent");
  });

  it("retries a receiver that fails once, and exits 1 naming the output when one never takes its alert", async () => {
    chat.status = (n) => (n === 1 ? 503 : 200);
    siem.status = () => 500;
    const run = await s3guard(["scan", "--rules", rules, "--outputs", outputs(), log], undefined, { CHAT_URL: chat.url });
    expect(run.code).toBe(1);
    expect(chat.bodies.map((b) => b.attachments[0].blocks[0].text.text)).toEqual(["Warning: Bucket deleted", "Warning: Bucket deleted", "Critical: Console login"]);
    expect(run.stderr).toContain("output chat (slack): 2 sent, 1 retried");
    expect(run.stderr).toMatch(/error: output storage-team: alerts not delivered, e\.g\. \w+: webhook output 'storage-team': HTTP 500 from 127\.0\.0\.1:\d+/);
  });

  it("refuses an outputs file with errors before scanning, naming output and key; warns of filters no rule passes", async () => {
    const bad = write("bad.yaml", `outputs:\n  - {name: chat, type: slack, url: "https://hooks.slack.com/services/T0/B0/SECRET"}\n  - {name: x, type: stdout, tags: [aws_s4]}\n`);
    const run = await s3guard(["scan", "--rules", rules, "--outputs", bad, log]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`error: ${bad}: outputs[0] (chat).url: the URL holds a Slack webhook URL, whose path is its token`);
    expect(run.stderr).not.toContain("SECRET");

    const warn = write("warn.yaml", `outputs:\n  - {name: x, type: stdout, tags: [aws_s4]}\n`);
    const ok = await s3guard(["scan", "--rules", rules, "--outputs", warn, log]);
    expect(ok.code).toBe(0);
    expect(ok.stderr).toContain(`warning: ${warn}: outputs[0] (x).tags[0]: no loaded rule has the tag 'aws_s4' (did you mean 'aws_s3'?)`);
  });

  it("says which environment variable is missing", async () => {
    const run = await s3guard(["scan", "--rules", rules, "--outputs", outputs(), log], undefined, { CHAT_URL: "" });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("outputs[0] (chat).urlEnv: the environment variable CHAT_URL is not set (or empty)");
  });
});

describeWithSharedData("s3guard scan --outputs on real logs", () => {
  it("routes the bundled rules' alerts on Invictus-IR's CloudTrail logs as the filters say", async () => {
    const [chat, siem] = await Promise.all([new Receiver().start(), new Receiver().start()]);
    try {
      const input = sharedData("invictus-ir-aws-dataset", "raw", "CloudTrail");
      const all = (await s3guard(["scan", input])).stdout.trim().split("\n").filter(Boolean);
      const file = write("real.yaml", `outputs:\n  - {name: chat, type: slack, url: "${chat.url}", minimumPriority: warning}\n  - {name: storage-team, type: webhook, url: "${siem.url}", tags: [aws_s3]}\n`);
      const run = await s3guard(["scan", "--outputs", file, input]);
      expect(run.code).toBe(0);
      const parsed = all.map((l) => JSON.parse(l));
      const severe = parsed.filter((a) => ["Emergency", "Alert", "Critical", "Error", "Warning"].includes(a.priority));
      expect(severe.length).toBeGreaterThan(0);
      expect(chat.bodies.map((b) => b.attachments[0].blocks[0].text.text).sort()).toEqual(severe.map((a) => `${a.priority}: ${a.rule}`).sort());
      expect(siem.raw.sort()).toEqual(all.filter((_l, i) => parsed[i].tags.includes("aws_s3")).sort());
    } finally {
      await Promise.all([chat.stop(), siem.stop()]);
    }
  });
});
