import { severity, type Alert } from "../engine";
import type { ScanInputsResult } from "../ingest/inputs";
import { alertFacts } from "../alerts/facts";
import { escapeControls, shorten } from "./textOutput";

/**
 * What a scan found, counted the ways people triage it: by priority, rule, principal, bucket and
 * source address. Printed by `--summary`, written as JSON by `--summary-json FILE`, and the numbers
 * the HTML report shows.
 */

export const DIMENSIONS = ["priority", "rule", "principal", "bucket", "sourceAddress"] as const;
export type Dimension = (typeof DIMENSIONS)[number];

const DIMENSION_TITLES: Record<Dimension, string> = {
  priority: "priority",
  rule: "rule",
  principal: "principal",
  bucket: "bucket",
  sourceAddress: "source address",
};

/**
 * A scan of many logs can see a great many principals or addresses: past this many distinct values a
 * dimension counts further new ones together as "others", so memory stays bounded.
 */
export const MAX_DISTINCT_VALUES = 10_000;

/** Alerts counted by one dimension. `null` is "the record names none" (no bucket, no principal). */
export interface Count {
  value: string | null;
  alerts: number;
}

export interface DimensionCounts {
  /** Most alerts first; ties in name order (priorities: most severe first). */
  values: Count[];
  /** Alerts whose value was not counted on its own because MAX_DISTINCT_VALUES was reached. */
  others: number;
}

class Tally {
  private readonly counts = new Map<string | null, number>();
  private others = 0;

  add(value: string | null): void {
    const n = this.counts.get(value);
    if (n !== undefined) this.counts.set(value, n + 1);
    else if (this.counts.size < MAX_DISTINCT_VALUES) this.counts.set(value, 1);
    else this.others++;
  }

  result(order: (a: Count, b: Count) => number): DimensionCounts {
    const values = [...this.counts].map(([value, alerts]) => ({ value, alerts })).sort(order);
    return { values, others: this.others };
  }
}

const byCount = (a: Count, b: Count) => b.alerts - a.alerts || compareValues(a.value, b.value);
const bySeverity = (a: Count, b: Count) => severity(a.value as Alert["priority"]) - severity(b.value as Alert["priority"]);

function compareValues(a: string | null, b: string | null): number {
  if (a === b) return 0;
  if (a === null) return 1;
  if (b === null) return -1;
  return a < b ? -1 : 1;
}

/** Counts kept during a scan, for the progress line and the summary. */
export class ScanStats {
  readonly started = process.hrtime.bigint();
  inputs = 0;
  events = 0;
  skipped = 0;
  /** Records not evaluated because their eventID already was (the same event delivered twice). */
  repeated = 0;
  errors = 0;
  alerts = 0;
  private readonly tallies = Object.fromEntries(DIMENSIONS.map((d) => [d, new Tally()])) as Record<Dimension, Tally>;

  alert(alert: Alert): void {
    this.alerts++;
    const facts = alertFacts(alert);
    this.tallies.priority.add(alert.priority);
    this.tallies.rule.add(alert.rule);
    this.tallies.principal.add(facts.principal ?? null);
    this.tallies.bucket.add(facts.bucket ?? null);
    this.tallies.sourceAddress.add(facts.sourceIp ?? null);
  }

  counts(dimension: Dimension): DimensionCounts {
    return this.tallies[dimension].result(dimension === "priority" ? bySeverity : byCount);
  }

  seconds(): number {
    return Number(process.hrtime.bigint() - this.started) / 1e9;
  }
}

/** The summary as `--summary-json` writes it (and the HTML report embeds it). */
export interface ScanSummary {
  /** True when the scan was stopped (Ctrl-C) before it read every input. */
  interrupted: boolean;
  inputs: number;
  inputsWithErrors: number;
  events: number;
  /** Records the engine does not evaluate (not CloudTrail events). */
  skipped: number;
  /** Records whose eventID was already evaluated. */
  repeated: number;
  alerts: number;
  errors: number;
  seconds: number;
  alertsBy: Record<Dimension, DimensionCounts>;
}

export function scanSummary(stats: ScanStats, result: ScanInputsResult, interrupted = false): ScanSummary {
  return {
    interrupted,
    inputs: result.inputs,
    inputsWithErrors: result.unreadable,
    events: stats.events,
    skipped: stats.skipped,
    repeated: stats.repeated,
    alerts: stats.alerts,
    errors: stats.errors,
    seconds: Math.round(stats.seconds() * 1000) / 1000,
    alertsBy: Object.fromEntries(DIMENSIONS.map((d) => [d, stats.counts(d)])) as Record<Dimension, DimensionCounts>,
  };
}

/** How many values of principal, bucket and source address the text summary lists. */
export const TEXT_TOP = 10;
const TEXT_VALUE_LENGTH = 100;

export function formatSummary(summary: ScanSummary): string {
  const secs = summary.seconds;
  const lines = [
    "",
    summary.interrupted ? "Summary (interrupted: not every input was read)" : "Summary",
    `  inputs:   ${summary.inputs} (${summary.inputsWithErrors} with errors)`,
    `  events:   ${summary.events} (${summary.skipped} skipped: not CloudTrail events the engine evaluates)`,
    ...(summary.repeated ? [`  repeated: ${summary.repeated} (records whose eventID was already evaluated: evaluated once)`] : []),
    `  alerts:   ${summary.alerts}`,
    `  errors:   ${summary.errors}`,
    `  rate:     ${Math.round(summary.events / Math.max(secs, 1e-9))} events/s over ${secs.toFixed(2)} s`,
  ];
  for (const dimension of DIMENSIONS) {
    const { values: top, others } = summary.alertsBy[dimension];
    if (top.length === 0) continue;
    // Priorities and rules are few (the ruleset bounds them): all are listed; the rest, the top ones.
    const all = dimension === "priority" || dimension === "rule";
    const shown = all ? top : top.slice(0, TEXT_TOP);
    const hidden = top.length - shown.length;
    lines.push(`  alerts by ${DIMENSION_TITLES[dimension]}${hidden > 0 || others > 0 ? ` (top ${shown.length} of ${others > 0 ? "more than " : ""}${top.length})` : ""}:`);
    const width = Math.max(...shown.map((c) => String(c.alerts).length));
    for (const c of shown) lines.push(`    ${String(c.alerts).padStart(width)}  ${c.value === null ? "(none)" : escapeControls(shorten(c.value, TEXT_VALUE_LENGTH))}`);
    const rest = top.slice(shown.length).reduce((n, c) => n + c.alerts, others);
    if (rest > 0) lines.push(`    ${String(rest).padStart(width)}  (others)`);
  }
  return lines.join("\n") + "\n";
}
