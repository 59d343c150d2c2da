import { severity, type Alert, type Priority } from "../engine";
import { alertFacts } from "../alerts/facts";
import { runbookUrl } from "../alerts/runbook";

/**
 * What the HTML report needs from a scan besides its summary: every alert's time and priority (for
 * the timeline; two numbers each) and the first MAX_TABLE_ROWS alerts in full (for the table). A
 * scan that raises more alerts still counts them all in the timeline and the summary.
 */
export const MAX_TABLE_ROWS = 10_000;
/** The table shows a message up to this long; the JSON output has it whole. */
export const MESSAGE_LENGTH = 400;

export interface ReportRow {
  /** RFC 3339, as the alert's `time`. */
  time: string;
  priority: Priority;
  rule: string;
  principal?: string;
  bucket?: string;
  sourceAddress?: string;
  message: string;
  runbook: string;
}

export class ReportCollector {
  readonly rows: ReportRow[] = [];
  /** Alerts not in `rows` because the table was full. */
  notListed = 0;
  /** Event time in milliseconds and priority (by severity, 0 most severe) of every alert. */
  readonly times: number[] = [];
  readonly severities: number[] = [];

  constructor(private readonly maxRows = MAX_TABLE_ROWS) {}

  add(alert: Alert): void {
    this.times.push(Number(alert.timeNs / 1_000_000n));
    this.severities.push(severity(alert.priority));
    if (this.rows.length >= this.maxRows) {
      this.notListed++;
      return;
    }
    const facts = alertFacts(alert);
    this.rows.push({
      time: alert.time,
      priority: alert.priority,
      rule: alert.rule,
      principal: facts.principal,
      bucket: facts.bucket,
      sourceAddress: facts.sourceIp,
      message: alert.message,
      runbook: runbookUrl(alert.rule),
    });
  }
}
