import { PublishBatchCommand, type PublishBatchRequestEntry, type SNSClient } from "@aws-sdk/client-sns";
import type { Alert } from "../engine";
import { alertJsonWithin } from "./alertJson";
import { splitIntoBatches, utf8Bytes } from "./batches";
import { isTransientAwsError, withRetry } from "./retry";
import { errorText, type AlertSink, type SendContext, type SinkFailure } from "./sink";

/** PublishBatch: at most 10 messages, and 256 KiB for the whole request's messages and attributes. */
export const SNS_MAX_ENTRIES = 10;
export const SNS_MAX_PAYLOAD_BYTES = 262_144;
/** Room kept in each message for its attributes. */
const ATTRIBUTE_ALLOWANCE = 1024;
const SUBJECT_MAX = 100;

/** SNS subjects: ASCII printable, no line breaks, at most 100 characters. */
export function snsSubject(alert: Alert): string {
  const text = `s3guard ${alert.priority}: ${alert.rule}`.replace(/[^\x20-\x7e]/g, "?");
  return text.length > SUBJECT_MAX ? text.slice(0, SUBJECT_MAX - 3) + "..." : text;
}

export function snsEntries(alerts: readonly Alert[]): PublishBatchRequestEntry[] {
  return alerts.map((a, i) => ({
    Id: String(i),
    Message: alertJsonWithin(a, SNS_MAX_PAYLOAD_BYTES - ATTRIBUTE_ALLOWANCE),
    Subject: snsSubject(a),
    // Subscribers filter on these and drop redeliveries by alert_id.
    MessageAttributes: {
      alert_id: { DataType: "String", StringValue: a.id },
      priority: { DataType: "String", StringValue: a.priority },
      rule: { DataType: "String", StringValue: a.rule.slice(0, 256) },
    },
  }));
}

function entryBytes(e: PublishBatchRequestEntry): number {
  let n = utf8Bytes(e.Message ?? "");
  for (const [k, v] of Object.entries(e.MessageAttributes ?? {})) n += utf8Bytes(k) + utf8Bytes(v.DataType ?? "") + utf8Bytes(v.StringValue ?? "");
  return n;
}

/** The SNS topic `S3GUARD_SNS_TOPIC_ARN`: one message per alert, Falco's JSON as the body. */
export class SnsSink implements AlertSink {
  readonly type = "sns" as const;

  constructor(
    private readonly sns: SNSClient,
    private readonly topicArn: string,
    private readonly retry = { attempts: 4, baseMs: 200, maxMs: 3000 },
    readonly name = "sns",
  ) {}

  async send(alerts: readonly Alert[], ctx?: SendContext): Promise<SinkFailure[]> {
    const entries = snsEntries(alerts);
    const alertOf = new Map(entries.map((e, i) => [e, alerts[i]]));
    const failures: SinkFailure[] = [];
    for (const batch of splitIntoBatches(entries, { maxItems: SNS_MAX_ENTRIES, maxBytes: SNS_MAX_PAYLOAD_BYTES, sizeOf: entryBytes })) {
      let pending = batch;
      let lastReason = new Map<string, string>();
      try {
        await withRetry(
          async () => {
            const res = await this.sns.send(new PublishBatchCommand({ TopicArn: this.topicArn, PublishBatchRequestEntries: pending }));
            // Entries can fail one by one inside a successful response: resend only those.
            const failed = res.Failed ?? [];
            lastReason = new Map(failed.map((f) => [f.Id ?? "", `${f.Code}: ${f.Message ?? ""}`]));
            const permanent = failed.filter((f) => f.SenderFault);
            for (const f of permanent) failures.push({ alertId: alertOf.get(pending.find((e) => e.Id === f.Id)!)!.id, reason: `SNS rejected the message: ${f.Code} ${f.Message ?? ""}` });
            pending = pending.filter((e) => failed.some((f) => f.Id === e.Id && !f.SenderFault));
            if (pending.length) throw Object.assign(new Error(`${pending.length} message(s) not published`), { $retryable: true });
          },
          { ...this.retry, retryable: isTransientAwsError, onRetry: () => ctx?.retried(pending.length) },
        );
      } catch (e) {
        for (const entry of pending) failures.push({ alertId: alertOf.get(entry)!.id, reason: `publish to ${this.topicArn}: ${lastReason.get(entry.Id ?? "") ?? errorText(e)}` });
      }
    }
    return failures;
  }
}
