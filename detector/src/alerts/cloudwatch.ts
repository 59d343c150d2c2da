import { CreateLogStreamCommand, PutLogEventsCommand, type CloudWatchLogsClient, type PutLogEventsCommandInput } from "@aws-sdk/client-cloudwatch-logs";
import type { Alert } from "../engine";
import { planLogBatches, type PlannedLogEvent } from "./cloudwatchEvents";
import { Coalescer, type Failed } from "./coalescer";
import { isTransientAwsError, withRetry } from "./retry";
import { errorText, type AlertSink, type SinkFailure } from "./sink";

export interface CloudWatchSinkOptions {
  /** The output's name. @default "cloudwatch" */
  name?: string;
  group: string;
  stream: string;
  lingerMs?: number;
  retry?: { attempts: number; baseMs: number; maxMs: number };
  now?: () => number;
  /** Told about events CloudWatch accepted the call for but rejected (too old, too new). */
  onRejected?: (alertIds: string[], why: string) => void;
}

/** The PutLogEvents request for one planned batch. */
export function putLogEventsInput(group: string, stream: string, batch: readonly PlannedLogEvent[]): PutLogEventsCommandInput {
  return { logGroupName: group, logStreamName: stream, logEvents: batch.map((e) => ({ timestamp: e.timestamp, message: e.message })) };
}

/**
 * Alerts as Falco JSON log events in `S3GUARD_LOG_GROUP`/`S3GUARD_LOG_STREAM`. The group is the
 * deployment's (the task role may create streams, not groups); the stream is created when missing.
 */
export class CloudWatchLogsSink implements AlertSink {
  readonly type = "cloudwatch" as const;
  readonly name: string;
  private streamReady?: Promise<void>;
  private readonly coalescer: Coalescer<Alert>;

  constructor(
    private readonly logs: CloudWatchLogsClient,
    private readonly options: CloudWatchSinkOptions,
  ) {
    this.name = options.name ?? "cloudwatch";
    this.coalescer = new Coalescer((alerts) => this.sendGroup(alerts), (a) => a.id, options.lingerMs ?? 200, 1000);
  }

  send(alerts: readonly Alert[]): Promise<SinkFailure[]> {
    return this.coalescer.submit([...alerts]);
  }

  flush(): Promise<void> {
    return this.coalescer.flush();
  }

  private async sendGroup(alerts: Alert[]): Promise<Failed[]> {
    const failures: Failed[] = [];
    const now = (this.options.now ?? Date.now)();
    for (const batch of planLogBatches(alerts, now)) {
      try {
        await withRetry(() => this.put(batch), {
          ...(this.options.retry ?? { attempts: 5, baseMs: 250, maxMs: 5000 }),
          retryable: (e) => isTransientAwsError(e) || (e as { streamMissing?: boolean }).streamMissing === true,
        });
      } catch (e) {
        const reason = `PutLogEvents to ${this.options.group}/${this.options.stream}: ${errorText(e)}`;
        for (const ev of batch) failures.push({ alertId: ev.alertId, reason });
      }
    }
    return failures;
  }

  private async put(batch: PlannedLogEvent[]): Promise<void> {
    await this.ensureStream();
    let res;
    try {
      res = await this.logs.send(new PutLogEventsCommand(putLogEventsInput(this.options.group, this.options.stream, batch)));
    } catch (e) {
      // The stream was deleted under us: create it again on the next attempt.
      if ((e as Error).name === "ResourceNotFoundException") {
        this.streamReady = undefined;
        throw Object.assign(e as Error, { streamMissing: true });
      }
      throw e;
    }
    const r = res.rejectedLogEventsInfo;
    if (r && this.options.onRejected) {
      // Permanently refused events: retrying cannot help, so they are reported, not retried.
      const ids = batch.filter((_, i) => (r.tooNewLogEventStartIndex !== undefined && i >= r.tooNewLogEventStartIndex) || (r.tooOldLogEventEndIndex !== undefined && i < r.tooOldLogEventEndIndex) || (r.expiredLogEventEndIndex !== undefined && i < r.expiredLogEventEndIndex));
      if (ids.length) this.options.onRejected(ids.map((e) => e.alertId), JSON.stringify(r));
    }
  }

  private ensureStream(): Promise<void> {
    this.streamReady ??= this.createStream().catch((e) => {
      this.streamReady = undefined;
      throw e;
    });
    return this.streamReady;
  }

  private async createStream(): Promise<void> {
    const { group, stream } = this.options;
    try {
      await this.logs.send(new CreateLogStreamCommand({ logGroupName: group, logStreamName: stream }));
    } catch (e) {
      const name = (e as Error).name;
      if (name === "ResourceAlreadyExistsException") return;
      if (name === "ResourceNotFoundException") {
        throw Object.assign(new Error(`log group '${group}' does not exist: create it (the s3guard stack does) or set S3GUARD_LOG_GROUP to an existing group`), { name: "LogGroupMissing" });
      }
      throw e;
    }
  }
}
