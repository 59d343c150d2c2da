import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import type { Alert } from "../../../detector/src/engine";
import type { Logger } from "../../../detector/src/connector/log";
import { Metrics } from "../../../detector/src/connector/metrics";
import { FolderRulesSource } from "../../../detector/src/connector/rulesSource";
import { RulesWatcher } from "../../../detector/src/connector/rulesWatcher";

const RULE = (name: string, event: string) => `
- rule: ${name}
  desc: ${name}
  condition: ct.name="${event}"
  output: ${name} (user=%ct.user)
  priority: WARNING
  source: aws_cloudtrail
`;
const BROKEN = `- rule: Broken\n  desc: x\n  condition: ct.name="A" and ct.nope="x"\n  output: x\n  priority: ERROR\n  source: aws_cloudtrail\n`;
const record = (eventName: string) => ({ eventID: `e-${eventName}`, eventName, eventTime: "2024-05-01T00:00:00Z", eventType: "AwsApiCall", userIdentity: { type: "IAMUser", userName: "alice" } });
const quiet: Logger = { debug() {}, info() {}, warn() {}, error() {} };

describe("rules hot reload", () => {
  let dir: string;
  let raised: Alert[];
  let metrics: Metrics;
  let watcher: RulesWatcher;

  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), "s3guard-rules-"));
    raised = [];
    metrics = new Metrics();
    watcher = new RulesWatcher({ source: new FolderRulesSource(dir), loadOptions: { hostname: "h" }, reloadMs: 60_000, hostname: "h", raise: (a) => raised.push(a), log: quiet, metrics });
  });
  afterEach(() => {
    watcher.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const rulesFor = (eventName: string) => watcher.current!.ruleset.evaluate(record(eventName)).map((a) => a.rule);

  it("loads the rules at start and raises an Informational alert naming the version", async () => {
    writeFileSync(path.join(dir, "a.yaml"), RULE("Deleted", "DeleteObject"));
    await watcher.start();
    expect(rulesFor("DeleteObject")).toEqual(["Deleted"]);
    expect(raised.map((a) => [a.rule, a.priority])).toEqual([["s3guard rules loaded", "Informational"]]);
    expect(raised[0].message).toContain(`rules version ${watcher.current!.version} from ${dir} is active (1 rules)`);
    expect(metrics.get("s3guard_rules_info", { version: watcher.current!.version, origin: dir })).toBe(1);
  });

  it("swaps in a changed set only once it loads", async () => {
    writeFileSync(path.join(dir, "a.yaml"), RULE("Deleted", "DeleteObject"));
    await watcher.start();
    const v1 = watcher.current!.version;
    writeFileSync(path.join(dir, "b.yaml"), RULE("Written", "PutObject"));
    await watcher.check();
    expect(rulesFor("PutObject")).toEqual(["Written"]);
    expect(raised[1].outputFields["s3guard.rules.previous"]).toBe(v1);
  });

  it("keeps the running rules when a change does not load, and raises one Error alert per broken version", async () => {
    writeFileSync(path.join(dir, "a.yaml"), RULE("Deleted", "DeleteObject"));
    await watcher.start();
    const v1 = watcher.current!.version;
    writeFileSync(path.join(dir, "b.yaml"), BROKEN);
    await watcher.check();
    await watcher.check();
    expect(watcher.current!.version).toBe(v1);
    expect(rulesFor("DeleteObject")).toEqual(["Deleted"]);
    const rejected = raised.filter((a) => a.rule === "s3guard rules update rejected");
    expect(rejected).toHaveLength(1);
    expect(rejected[0].priority).toBe("Error");
    expect(rejected[0].message).toContain(`version ${v1} keeps running`);
    expect(String(rejected[0].outputFields["s3guard.rules.error"])).toMatch(/b\.yaml.*Broken/s);
    expect(metrics.get("s3guard_rules_load_failures_total")).toBe(1);
  });

  it("falls back to the bundled rules when the source has none that load at start", async () => {
    const bundled = mkdtempSync(path.join(tmpdir(), "s3guard-bundled-"));
    writeFileSync(path.join(bundled, "bundled.yaml"), RULE("Bundled", "GetObject"));
    writeFileSync(path.join(dir, "a.yaml"), BROKEN);
    const w = new RulesWatcher({ source: new FolderRulesSource(dir), fallback: new FolderRulesSource(bundled), loadOptions: {}, reloadMs: 60_000, hostname: "h", raise: (a) => raised.push(a), log: quiet, metrics });
    await w.start();
    w.stop();
    expect(w.current!.origin).toBe(bundled);
    expect(raised.map((a) => a.rule)).toEqual(["s3guard rules update rejected", "s3guard rules loaded"]);
    rmSync(bundled, { recursive: true, force: true });
  });
});
