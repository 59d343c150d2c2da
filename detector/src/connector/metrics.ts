/**
 * The service's counters and gauges, rendered in Prometheus' text format at `/metrics`.
 * Deliberately tiny: a handful of series, labels escaped as the format requires.
 */
type Labels = Record<string, string>;

interface Family {
  help: string;
  type: "counter" | "gauge";
  series: Map<string, { labels: Labels; value: number }>;
}

function escapeLabel(v: string): string {
  return v.replace(/\\/g, "\\\\").replace(/\n/g, "\\n").replace(/"/g, '\\"');
}

function labelKey(labels: Labels): string {
  return Object.keys(labels)
    .sort()
    .map((k) => `${k}="${escapeLabel(labels[k])}"`)
    .join(",");
}

export class Metrics {
  private readonly families = new Map<string, Family>();

  constructor() {
    for (const [name, help, type] of METRICS) this.families.set(name, { help, type, series: new Map() });
  }

  inc(name: MetricName, labels: Labels = {}, by = 1): void {
    const s = this.series(name, labels);
    s.value += by;
  }

  set(name: MetricName, value: number, labels: Labels = {}): void {
    this.series(name, labels).value = value;
  }

  /** Replaces all series of a gauge (e.g. the rules version info, which has one current value). */
  reset(name: MetricName): void {
    this.families.get(name)!.series.clear();
  }

  get(name: MetricName, labels: Labels = {}): number {
    return this.families.get(name)!.series.get(labelKey(labels))?.value ?? 0;
  }

  render(): string {
    const out: string[] = [];
    for (const [name, f] of this.families) {
      out.push(`# HELP ${name} ${f.help}`, `# TYPE ${name} ${f.type}`);
      for (const { labels, value } of f.series.values()) {
        const key = labelKey(labels);
        out.push(`${name}${key ? `{${key}}` : ""} ${value}`);
      }
    }
    return out.join("\n") + "\n";
  }

  private series(name: MetricName, labels: Labels) {
    const f = this.families.get(name)!;
    const key = labelKey(labels);
    let s = f.series.get(key);
    if (!s) f.series.set(key, (s = { labels, value: 0 }));
    return s;
  }
}

const METRICS = [
  ["s3guard_messages_received_total", "SQS messages received (a redelivered message counts again).", "counter"],
  ["s3guard_messages_total", "SQS messages handled, by outcome: deleted, retried (left for redelivery), rejected (not understood), released (at shutdown).", "counter"],
  ["s3guard_objects_total", "Log objects, by outcome: read, damaged, unreadable, too_large, other_account (its key names an account not in S3GUARD_ACCOUNT_IDS: not read).", "counter"],
  ["s3guard_objects_in_workers_total", "Log objects read and evaluated in worker threads (S3GUARD_WORKERS); the others were in the main thread.", "counter"],
  ["s3guard_records_total", "CloudTrail records evaluated.", "counter"],
  ["s3guard_records_skipped_total", "Records the engine does not evaluate (not CloudTrail events).", "counter"],
  ["s3guard_records_repeated_total", "Records not evaluated again: their eventID was already evaluated and its alerts delivered (two trails, a log file delivered twice).", "counter"],
  ["s3guard_records_other_accounts_total", "Records dropped unevaluated: their recipientAccountId is not in S3GUARD_ACCOUNT_IDS.", "counter"],
  ["s3guard_record_errors_total", "Bad records inside readable log objects.", "counter"],
  ["s3guard_alerts_total", "Alerts raised, by rule and priority (before de-duplication).", "counter"],
  ["s3guard_destination_sent_total", "Alerts an output accepted, by output name and type.", "counter"],
  ["s3guard_destination_failed_total", "Alerts an output did not accept (their message is retried).", "counter"],
  ["s3guard_destination_retried_total", "Attempts made again for an output after a failure (retries within a send, and alerts it had failed before).", "counter"],
  ["s3guard_destination_duplicates_total", "Alerts not sent again because the output accepted the same id within the window.", "counter"],
  ["s3guard_destination_deferred_total", "Alerts not tried because the output was backing off after repeated failures (their message is retried).", "counter"],
  ["s3guard_destination_up", "1 when an output takes alerts, 0 while it backs off after repeated failures.", "gauge"],
  ["s3guard_receive_errors_total", "Failed SQS ReceiveMessage calls.", "counter"],
  ["s3guard_queue_lag_seconds", "Age of the last message received (now minus its SentTimestamp).", "gauge"],
  ["s3guard_messages_in_flight", "Messages being processed.", "gauge"],
  ["s3guard_rules_info", "The active rules: version and origin (value 1).", "gauge"],
  ["s3guard_rules_loaded_timestamp_seconds", "When the active rules were loaded.", "gauge"],
  ["s3guard_rules_load_failures_total", "Rules updates that did not load (the previous rules kept running).", "counter"],
  ["s3guard_ready", "1 when rules are loaded and the queue answers.", "gauge"],
  ["s3guard_state_groups", "Groups of stateful rules held in memory (their state, or a cache of the state table).", "gauge"],
  ["s3guard_state_bytes", "Approximate memory those groups use.", "gauge"],
  ["s3guard_state_evicted_total", "Live stateful windows dropped to stay within the memory budget (S3GUARD_STATE_MEMORY_MB): their counts start again.", "counter"],
  ["s3guard_state_conflicts_total", "State table writes that lost to another task (the matches were counted again into the winner's state).", "counter"],
] as const;

export type MetricName = (typeof METRICS)[number][0];
