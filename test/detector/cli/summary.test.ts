import { formatSummary, MAX_DISTINCT_VALUES, scanSummary, ScanStats } from "../../../detector/src/cli/summary";
import type { Alert } from "../../../detector/src/engine";
import { alertFor } from "../../support/engine";
import { baseEvent } from "../../support/events";

const base = alertFor("o", baseEvent("E1"));
/** An alert as the engine makes them; only what the summary reads differs. */
function alert(priority: string, rule: string, event: Record<string, unknown>): Alert {
  const p = ({ WARNING: "Warning", CRITICAL: "Critical", INFO: "Informational" } as const)[priority as "INFO"];
  return { ...base, priority: p, rule, event };
}

describe("scan summary", () => {
  const stats = new ScanStats();
  const e1 = baseEvent("E1");
  const other = { ...baseEvent("E1"), sourceIPAddress: "203.0.113.9", requestParameters: { bucketName: "logs" }, userIdentity: { type: "IAMUser", userName: "bob" } };
  const noBucket = { ...baseEvent("E1"), requestParameters: {}, resources: [] };
  stats.events = 10;
  stats.alert(alert("WARNING", "B rule", e1));
  stats.alert(alert("CRITICAL", "A rule", other));
  stats.alert(alert("WARNING", "B rule", noBucket));
  const summary = scanSummary(stats, { inputs: 2, unreadable: 0 });

  it("counts alerts by priority (most severe first), rule, principal, bucket and source address", () => {
    expect(summary).toMatchObject({ interrupted: false, inputs: 2, events: 10, alerts: 3 });
    expect(summary.alertsBy.priority.values).toEqual([
      { value: "Critical", alerts: 1 },
      { value: "Warning", alerts: 2 },
    ]);
    expect(summary.alertsBy.rule.values).toEqual([
      { value: "B rule", alerts: 2 },
      { value: "A rule", alerts: 1 },
    ]);
    expect(summary.alertsBy.principal.values.map((c) => c.value)).toEqual([(e1.userIdentity as { arn: string }).arn, "bob"]);
    expect(summary.alertsBy.bucket.values).toEqual([
      { value: "logs", alerts: 1 },
      { value: "my-bucket", alerts: 1 },
      { value: null, alerts: 1 },
    ]);
    expect(summary.alertsBy.sourceAddress.values[1]).toEqual({ value: "203.0.113.9", alerts: 1 });
  });

  it("prints each dimension, with '(none)' for alerts whose record names no value", () => {
    const text = formatSummary(summary);
    expect(text).toMatch(/alerts by priority:\n +1 +Critical\n +2 +Warning\n/);
    expect(text).toMatch(/alerts by rule:\n +2 +B rule\n +1 +A rule\n/);
    expect(text).toMatch(/alerts by bucket:\n(.+\n){2} +1 +\(none\)\n/);
    expect(text).toContain("alerts by source address:");
  });

  it("lists the top principals, buckets and addresses, with the rest in one line", () => {
    const many = new ScanStats();
    for (let i = 0; i < 15; i++) many.alert(alert("INFO", "r", { ...e1, sourceIPAddress: `10.0.0.${i}` }));
    const text = formatSummary(scanSummary(many, { inputs: 1, unreadable: 0 }));
    expect(text).toMatch(/alerts by source address \(top 10 of 15\):\n(.+\n){10} +5 +\(others\)\n/);
  });

  it("keeps memory bounded: values past the distinct limit are counted together as others", () => {
    const many = new ScanStats();
    for (let i = 0; i < MAX_DISTINCT_VALUES + 5; i++) many.alert(alert("INFO", "r", { ...e1, sourceIPAddress: `a${i}` }));
    const counts = many.counts("sourceAddress");
    expect(counts.values).toHaveLength(MAX_DISTINCT_VALUES);
    expect(counts.others).toBe(5);
  });

  it("escapes control characters of hostile values in the text summary", () => {
    const hostile = new ScanStats();
    hostile.alert(alert("INFO", "r", { ...e1, userIdentity: { type: "IAMUser", userName: "eve\x1b[2J\nforged" } }));
    const text = formatSummary(scanSummary(hostile, { inputs: 1, unreadable: 0 }, true));
    expect(text).toContain("Summary (interrupted");
    expect(text).toContain("eve\\x1b[2J\\nforged");
    expect(text).not.toContain("\x1b");
  });
});
