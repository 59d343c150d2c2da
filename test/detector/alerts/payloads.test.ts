import { cardTemplates } from "../../../detector/src/alerts/card";
import { opsgenieAlert, OPSGENIE_DESCRIPTION_MAX, OPSGENIE_MESSAGE_MAX } from "../../../detector/src/alerts/opsgenie";
import { pagerDutyEvent, PAGERDUTY_MAX_BYTES } from "../../../detector/src/alerts/pagerduty";
import { slackMessage, SLACK_FIELD_MAX, SLACK_HEADER_MAX, SLACK_MAX_FIELDS, SLACK_SECTION_MAX } from "../../../detector/src/alerts/slack";
import { teamsMessage, TEAMS_MAX_BYTES } from "../../../detector/src/alerts/teams";
import type { Priority } from "../../../detector/src/engine";
import { makeAlert } from "../support/alerts";

const record = {
  eventID: "e1",
  eventTime: "2024-05-01T12:00:00Z",
  eventType: "AwsApiCall",
  eventName: "PutBucketPolicy",
  awsRegion: "eu-west-1",
  recipientAccountId: "123456789012",
  sourceIPAddress: "203.0.113.9",
  userIdentity: { type: "IAMUser", arn: "arn:aws:iam::123456789012:user/mallory" },
  requestParameters: { bucketName: "payroll" },
};
const defaults = cardTemplates(undefined, undefined);
const huge = "x".repeat(200_000);

/* eslint-disable @typescript-eslint/no-explicit-any */
describe("Slack messages", () => {
  it("carry the priority colour, rule, principal, bucket, source address and runbook", () => {
    const m = slackMessage(makeAlert({ priority: "Critical", event: record }), defaults) as any;
    expect(m.text).toBe("Critical: S3 object deleted");
    expect(m.attachments[0].color).toBe("#d32f2f");
    const [header, section, fields, context] = m.attachments[0].blocks;
    expect(header).toEqual({ type: "header", text: { type: "plain_text", text: "Critical: S3 object deleted", emoji: false } });
    expect(section.text.text).toBe("Object deleted (bucket=payroll key=file-1.csv user=mallory)");
    expect(fields.fields.map((f: any) => f.text)).toEqual(["*Rule*\nS3 object deleted", "*Priority*\nCritical", "*Principal*\narn:aws:iam::123456789012:user/mallory", "*Bucket*\npayroll", "*Source address*\n203.0.113.9", "*Account*\n123456789012 (eu-west-1)"]);
    expect(context.elements[1].text).toBe("Runbook: docs/rules.md#s3-object-deleted");
  });

  it("link the runbook where the rules page is published, and escape Slack markup in values", () => {
    process.env.S3GUARD_RUNBOOK_BASE_URL = "https://docs.example.com/rules";
    try {
      const m = slackMessage(makeAlert({ message: "<https://evil.example|click> & more", event: record }), defaults) as any;
      const blocks = m.attachments[0].blocks;
      expect(blocks[1].text.text).toBe("&lt;https://evil.example|click&gt; &amp; more");
      expect(blocks[3].elements[1].text).toBe("<https://docs.example.com/rules#s3-object-deleted|Runbook>");
    } finally {
      delete process.env.S3GUARD_RUNBOOK_BASE_URL;
    }
  });

  it("stay within Block Kit's limits whatever the alert holds", () => {
    const m = slackMessage(makeAlert({ rule: huge, message: huge, event: { ...record, userIdentity: { arn: huge } } }), defaults) as any;
    const [header, section, fields] = m.attachments[0].blocks;
    expect(header.text.text.length).toBeLessThanOrEqual(SLACK_HEADER_MAX);
    expect(section.text.text.length).toBeLessThanOrEqual(SLACK_SECTION_MAX);
    expect(fields.fields.length).toBeLessThanOrEqual(SLACK_MAX_FIELDS);
    for (const f of fields.fields) expect(f.text.length).toBeLessThanOrEqual(SLACK_FIELD_MAX);
    expect(JSON.stringify(m).length).toBeLessThan(12_000);
  });

  it("use the output's templates", () => {
    const m = slackMessage(makeAlert({ event: record }), cardTemplates("{{bucket}}: {{rule}}", "by {{principal}}")) as any;
    expect(m.attachments[0].blocks[0].text.text).toBe("payroll: S3 object deleted");
    expect(m.attachments[0].blocks[1].text.text).toBe("by arn:aws:iam::123456789012:user/mallory");
  });
});

describe("Microsoft Teams messages", () => {
  it("are an Adaptive Card 1.4 in the message shape webhooks accept, alert text in TextRuns", () => {
    const m = teamsMessage(makeAlert({ priority: "Error", event: record }), defaults) as any;
    expect(m.type).toBe("message");
    expect(m.attachments[0].contentType).toBe("application/vnd.microsoft.card.adaptive");
    const card = m.attachments[0].content;
    expect(card).toMatchObject({ type: "AdaptiveCard", version: "1.4", $schema: "http://adaptivecards.io/schemas/adaptive-card.json" });
    expect(card.body[0]).toMatchObject({ type: "Container", style: "warning", items: [{ type: "RichTextBlock", inlines: [{ type: "TextRun", text: "Error: S3 object deleted" }] }] });
    expect(card.body[2].facts).toContainEqual({ title: "Principal", value: "arn:aws:iam::123456789012:user/mallory" });
  });

  it("stay under Teams' 28 KB, even with multi-byte text", () => {
    const m = teamsMessage(makeAlert({ message: "日本".repeat(50_000), event: record }), defaults);
    expect(Buffer.byteLength(JSON.stringify(m))).toBeLessThanOrEqual(TEAMS_MAX_BYTES);
  });
});

describe("PagerDuty events", () => {
  it("trigger with the alert id as dedup key and a severity from the priority", () => {
    const sev = (p: Priority) => (pagerDutyEvent(makeAlert({ priority: p, event: record }), "KEY", defaults) as any).payload.severity;
    expect((["Emergency", "Critical", "Error", "Warning", "Notice", "Debug"] as Priority[]).map(sev)).toEqual(["critical", "critical", "error", "warning", "info", "info"]);
    const e = pagerDutyEvent(makeAlert({ event: record }), "KEY", defaults) as any;
    expect(e).toMatchObject({ routing_key: "KEY", event_action: "trigger", dedup_key: "alert-000001", client: "s3guard" });
    expect(e.payload).toMatchObject({ summary: "Warning: S3 object deleted", source: "payroll", group: "123456789012", class: "S3 object deleted", timestamp: makeAlert().time });
    expect(e.payload.custom_details).toMatchObject({ Principal: "arn:aws:iam::123456789012:user/mallory", "Source address": "203.0.113.9", runbook: "docs/rules.md#s3-object-deleted", alert_id: "alert-000001" });
  });

  it("stay within the summary and event size limits", () => {
    const e = pagerDutyEvent(makeAlert({ rule: huge, message: huge, outputFields: { big: huge.repeat(3) } }), "KEY", defaults) as any;
    expect(e.payload.summary.length).toBeLessThanOrEqual(1024);
    expect(e.dedup_key.length).toBeLessThanOrEqual(255);
    expect(Buffer.byteLength(JSON.stringify(e))).toBeLessThanOrEqual(PAGERDUTY_MAX_BYTES);
  });
});

describe("Opsgenie alerts", () => {
  it("use the alert id as alias and a P1-P5 priority", () => {
    const a = opsgenieAlert(makeAlert({ priority: "Critical", event: record }), defaults) as any;
    expect(a).toMatchObject({ message: "Critical: S3 object deleted", alias: "alert-000001", priority: "P1", entity: "payroll" });
    expect(a.tags).toEqual(["aws", "s3", "critical"]);
    expect(a.details).toMatchObject({ Bucket: "payroll", runbook: "docs/rules.md#s3-object-deleted" });
  });

  it("stay within the Alert API's limits", () => {
    const a = opsgenieAlert(makeAlert({ rule: huge, message: huge, tags: Array.from({ length: 40 }, (_, i) => `tag-${i}-${"y".repeat(60)}`), event: { ...record, userIdentity: { arn: huge } } }), defaults) as any;
    expect(a.message.length).toBeLessThanOrEqual(OPSGENIE_MESSAGE_MAX);
    expect(a.description.length).toBeLessThanOrEqual(OPSGENIE_DESCRIPTION_MAX);
    expect(a.tags.length).toBeLessThanOrEqual(20);
    for (const t of a.tags) expect(t.length).toBeLessThanOrEqual(50);
    expect(Object.entries(a.details as Record<string, string>).reduce((n, [k, v]) => n + k.length + v.length, 0)).toBeLessThanOrEqual(8000);
  });
});
