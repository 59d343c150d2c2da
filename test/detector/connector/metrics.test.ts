import { Metrics } from "../../../detector/src/connector/metrics";

describe("the /metrics page", () => {
  it("prints Prometheus text: help, type and one line per series", () => {
    const m = new Metrics();
    m.inc("s3guard_records_total", {}, 3);
    m.inc("s3guard_alerts_total", { rule: "S3 object deleted", priority: "Warning" });
    m.set("s3guard_queue_lag_seconds", 1.5);
    const text = m.render();
    expect(text).toContain("# TYPE s3guard_records_total counter\ns3guard_records_total 3\n");
    expect(text).toContain('s3guard_alerts_total{priority="Warning",rule="S3 object deleted"} 1\n');
    expect(text).toContain("# TYPE s3guard_queue_lag_seconds gauge\ns3guard_queue_lag_seconds 1.5\n");
    expect(text).toMatch(/^# HELP s3guard_messages_total /m);
  });

  it("escapes quotes, backslashes and newlines in label values", () => {
    const m = new Metrics();
    m.inc("s3guard_alerts_total", { rule: 'a "quoted"\\rule\nname', priority: "Error" });
    expect(m.render()).toContain('s3guard_alerts_total{priority="Error",rule="a \\"quoted\\"\\\\rule\\nname"} 1');
  });

  it("keeps one current rules version", () => {
    const m = new Metrics();
    m.set("s3guard_rules_info", 1, { version: "aaa", origin: "s3://r/rules/" });
    m.reset("s3guard_rules_info");
    m.set("s3guard_rules_info", 1, { version: "bbb", origin: "s3://r/rules/" });
    expect(m.render()).not.toContain('version="aaa"');
    expect(m.get("s3guard_rules_info", { version: "bbb", origin: "s3://r/rules/" })).toBe(1);
  });
});
