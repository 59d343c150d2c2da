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

/** The rules folder as the connector treats a rules bucket: from outside the image. */
class ExternalFolder extends FolderRulesSource {
  readonly external = true;
}

const MACRO_BOMB = ["- macro: e0", "  condition: ct.name = PutBucketPolicy"]
  .concat(Array.from({ length: 22 }, (_, i) => [`- macro: e${i + 1}`, `  condition: e${i} and e${i}`]).flat())
  .concat(["- rule: bomb", "  desc: d", "  condition: e22", "  output: o", "  priority: WARNING", "  source: aws_cloudtrail"])
  .join("\n");

describe("rules updates from outside the image are checked in isolation first", () => {
  let dir: string;
  let raised: Alert[];
  const watch = (checkLimits?: { timeoutMs: number; memoryMb: number }) =>
    new RulesWatcher({ source: new ExternalFolder(dir), loadOptions: { hostname: "h" }, reloadMs: 60_000, hostname: "h", raise: (a) => raised.push(a), log: quiet, metrics: new Metrics(), checkLimits });

  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), "s3guard-isolated-"));
    raised = [];
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const rejection = () => String(raised.find((a) => a.rule === "s3guard rules update rejected")?.outputFields["s3guard.rules.error"]);

  it("loads an update that passes the check", async () => {
    writeFileSync(path.join(dir, "a.yaml"), RULE("Deleted", "DeleteObject"));
    const w = watch();
    await w.start();
    w.stop();
    expect(w.current!.ruleset.evaluate(record("DeleteObject")).map((a) => a.rule)).toEqual(["Deleted"]);
  });

  it("refuses a macro bomb and keeps the running rules", async () => {
    writeFileSync(path.join(dir, "a.yaml"), RULE("Deleted", "DeleteObject"));
    const w = watch();
    await w.start();
    const v1 = w.current!.version;
    writeFileSync(path.join(dir, "b.yaml"), MACRO_BOMB);
    const start = Date.now();
    await w.check();
    w.stop();
    expect(Date.now() - start).toBeLessThan(10_000);
    expect(w.current!.version).toBe(v1);
    expect(rejection()).toContain("LOAD_ERR_LIMIT");
  });

  it("stops a load that runs past its deadline", async () => {
    writeFileSync(path.join(dir, "a.yaml"), RULE("Deleted", "DeleteObject"));
    const w = watch({ timeoutMs: 1, memoryMb: 192 });
    await w.start();
    w.stop();
    expect(w.current).toBeUndefined();
    expect(rejection()).toContain("the rules took longer than 0.001 s to load and were stopped");
  });

  it("stops a load that needs more memory than it may use", async () => {
    // Legal, but heavy: many large lists and rules.
    const lists = Array.from({ length: 40 }, (_, i) => `- list: l${i}\n  items: [${Array.from({ length: 5000 }, (_, j) => `"item-${i}-${j}-${"x".repeat(20)}"`).join(", ")}]`);
    const rules = Array.from({ length: 40 }, (_, i) => `- rule: r${i}\n  desc: d\n  condition: ct.name in (l${i}) or ct.user in (l${i})\n  output: o\n  priority: WARNING\n  source: aws_cloudtrail`);
    writeFileSync(path.join(dir, "heavy.yaml"), [...lists, ...rules].join("\n"));
    const w = watch({ timeoutMs: 60_000, memoryMb: 8 });
    await w.start();
    w.stop();
    expect(w.current).toBeUndefined();
    expect(rejection()).toContain("the rules needed more than 8 MB to load and were stopped");
  });
});
