import { isStratusRecord } from "./datasets";
import type { CloudTrailRecord, EvaluateAll } from "./types";

/** Alerts of one rule on Invictus-IR records without Stratus Red Team's user agent: false-positive candidates. */
export interface NoiseByRule {
  rule: string;
  count: number;
  /** One line per alerted record: call, resource and client. */
  examples: string[];
}

export interface NoiseResult {
  records: number;
  benignRecords: number;
  /** Alerts on the simulation's own records, for comparison. */
  attackAlerts: number;
  benignAlerts: number;
  byRule: NoiseByRule[];
}

function resourceOf(record: CloudTrailRecord): string {
  const rp = (record.requestParameters ?? {}) as Record<string, unknown>;
  const name = rp.bucketName ?? rp.name ?? rp.trailName ?? "";
  return typeof name === "string" ? name : JSON.stringify(name);
}

function example(record: CloudTrailRecord): string {
  const agent = typeof record.userAgent === "string" ? record.userAgent.replace(/^\[/, "").split(" ")[0] : "";
  const resource = resourceOf(record);
  return `${String(record.eventName)}${resource ? ` ${resource}` : ""}${agent ? ` (${agent})` : ""}`;
}

/** Runs the rules over all records in order and lists, by rule, the alerts on records not made by the simulation. */
export function measureNoise(records: readonly CloudTrailRecord[], evaluateAll: EvaluateAll): NoiseResult {
  const fired = evaluateAll(records);
  const byRule = new Map<string, NoiseByRule>();
  let attackAlerts = 0;
  let benignAlerts = 0;
  records.forEach((record, i) => {
    if (isStratusRecord(record)) {
      attackAlerts += fired[i].length;
      return;
    }
    for (const a of fired[i]) {
      benignAlerts++;
      const entry = byRule.get(a.rule) ?? { rule: a.rule, count: 0, examples: [] };
      entry.count++;
      entry.examples.push(example(record));
      byRule.set(a.rule, entry);
    }
  });
  return {
    records: records.length,
    benignRecords: records.filter((r) => !isStratusRecord(r)).length,
    attackAlerts,
    benignAlerts,
    byRule: [...byRule.values()].sort((a, b) => b.count - a.count || a.rule.localeCompare(b.rule)),
  };
}
