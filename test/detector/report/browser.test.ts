import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { openReport, type OpenedReport } from "../../../scripts/report/chromium";
import { REPO, s3guard } from "../../support/cli";

/**
 * The HTML report as people see it: opened in a real headless Chromium (Debian's package), it must
 * render, show the numbers of the JSON output of the same scan, load nothing, run no script from the
 * logs, and filter its table.
 */

const dir = mkdtempSync(path.join(tmpdir(), "s3guard-report-"));
const samples = path.join(REPO, "samples");
const HOSTILE_AGENT = "<script>window.pwned = 1</script>";

/** The samples' StopLogging record again, an hour later, from a caller who writes markup. */
function hostileLog(): string {
  const folder = path.join(samples, "AWSLogs", "111122223333", "CloudTrail", "us-east-1", "2026", "11", "20");
  const records = readdirSync(folder).flatMap((f) => JSON.parse(readFileSync(path.join(folder, f), "utf8")).Records as Record<string, unknown>[]);
  const stop = records.find((r) => r.eventName === "StopLogging")!;
  const record = {
    ...stop,
    eventID: "0a1b2c3d-hostile",
    eventTime: "2026-11-20T10:30:00Z",
    userAgent: HOSTILE_AGENT,
    userIdentity: { ...(stop.userIdentity as object), arn: 'arn:aws:iam::111122223333:user/"><img src=x onerror="window.pwned=2">' },
  };
  const file = path.join(dir, "hostile.json");
  writeFileSync(file, JSON.stringify({ Records: [record] }));
  return file;
}

interface Alert {
  rule: string;
  priority: string;
}
interface Count {
  value: string | null;
  alerts: number;
}

let alerts: Alert[];
let summary: { alerts: number; events: number; inputs: number; alertsBy: Record<string, { values: Count[] }> };
let opened: OpenedReport;

beforeAll(async () => {
  const report = path.join(dir, "report.html");
  const summaryFile = path.join(dir, "summary.json");
  const r = await s3guard(["scan", "--report", report, "--summary-json", summaryFile, samples, hostileLog()]);
  expect(r.code).toBe(0);
  alerts = r.stdout.trim().split("\n").map((l) => JSON.parse(l));
  summary = JSON.parse(readFileSync(summaryFile, "utf8"));
  opened = await openReport(report);
});

afterAll(async () => {
  await opened?.browser.close();
});

const countBy = (key: (a: Alert) => string) => {
  const m: Record<string, number> = {};
  for (const a of alerts) m[key(a)] = (m[key(a)] ?? 0) + 1;
  return m;
};
const visibleRows = () => opened.page.locator("#alerts tbody tr:not([hidden])").count();

describe("the HTML report in Chromium", () => {
  it("renders the figures of the JSON output of the same scan", async () => {
    const { page } = opened;
    expect(alerts.length).toBeGreaterThan(10);
    expect(await page.textContent('[data-figure="alerts"]')).toBe(String(alerts.length));
    expect(await page.textContent('[data-figure="events"]')).toBe(String(summary.events));
    expect(await page.textContent('[data-figure="inputs"]')).toBe(String(summary.inputs));
    expect(await page.locator("#alerts tbody tr").count()).toBe(alerts.length);
    expect(await page.locator("#alerts tbody tr td:nth-child(3)").allTextContents()).toEqual(alerts.map((a) => a.rule));
  });

  it("shows the alerts by priority and rule that the JSON alerts add up to, and the summary's top principals, buckets and addresses", async () => {
    const { page } = opened;
    const shown = async (dimension: string) => {
      const items = page.locator(`.top[data-dimension="${dimension}"] button.facet`);
      return items.evaluateAll((bs) => bs.map((b) => [b.getAttribute("data-value"), Number(b.querySelector(".n")!.textContent)] as const));
    };
    expect(Object.fromEntries(await shown("priority"))).toEqual(countBy((a) => a.priority));
    expect(Object.fromEntries(await shown("rule"))).toEqual(Object.fromEntries(Object.entries(countBy((a) => a.rule)).sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, 10)));
    for (const dimension of ["principal", "bucket", "sourceAddress"]) {
      expect(await shown(dimension)).toEqual(summary.alertsBy[dimension].values.slice(0, 10).map((c) => [c.value ?? "", c.alerts]));
    }
  });

  it("draws a timeline whose bars add up to the alerts of each priority", async () => {
    const bars = await opened.page.locator("#timeline rect").evaluateAll((rs) => rs.map((r) => [r.getAttribute("data-priority")!, Number(r.getAttribute("data-count"))] as const));
    const sums: Record<string, number> = {};
    for (const [p, n] of bars) sums[p] = (sums[p] ?? 0) + n;
    expect(sums).toEqual(countBy((a) => a.priority));
    const box = await opened.page.locator("#timeline").boundingBox();
    expect(box!.width).toBeGreaterThan(500);
  });

  it("loads nothing, runs no script from the logs and shows hostile values as text", async () => {
    const { page } = opened;
    expect(opened.requests).toEqual([]);
    expect(opened.problems).toEqual([]);
    // The page's own global object: the hostile values tried to set `pwned` on it.
    expect(await page.evaluate(() => (globalThis as { pwned?: number }).pwned)).toBeUndefined();
    expect(await page.locator("#alerts img, #alerts script").count()).toBe(0);
    const hostile = page.locator("#alerts tbody tr", { hasText: HOSTILE_AGENT });
    expect(await hostile.count()).toBe(1);
    expect(await hostile.locator("td:nth-child(4)").textContent()).toContain('"><img src=x');
  });

  it("links each rule to its runbook", async () => {
    const link = opened.page.locator("#alerts tbody tr td:nth-child(3) a").first();
    expect(await link.getAttribute("href")).toMatch(/^docs\/rules\.md#[a-z0-9-]+$/);
  });

  it("filters the table by priority, rule, text and a clicked value", async () => {
    const { page } = opened;
    const critical = countBy((a) => a.priority).Critical;
    await page.selectOption("#filter-priority", "Critical");
    expect(await visibleRows()).toBe(critical);
    expect(await page.textContent("#shown")).toBe(String(critical));
    await page.selectOption("#filter-priority", "");
    await page.selectOption("#filter-rule", "CloudTrail Logging Stopped");
    expect(await visibleRows()).toBe(countBy((a) => a.rule)["CloudTrail Logging Stopped"]);
    await page.fill("#filter-text", "window.pwned = 1");
    expect(await visibleRows()).toBe(1);
    await page.selectOption("#filter-rule", "");
    await page.fill("#filter-text", "");
    expect(await visibleRows()).toBe(alerts.length);
    const bucket = summary.alertsBy.bucket.values[0];
    await page.click(`.top[data-dimension="bucket"] button.facet >> nth=0`);
    expect(await visibleRows()).toBe(bucket.alerts);
    expect(await page.textContent("#facet-text")).toBe(`bucket: ${bucket.value}`);
    await page.click("#facet-clear");
    expect(await visibleRows()).toBe(alerts.length);
  });
});
