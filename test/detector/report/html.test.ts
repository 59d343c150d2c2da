import { scanSummary, ScanStats } from "../../../detector/src/cli/summary";
import type { Alert } from "../../../detector/src/engine";
import { runbookUrl } from "../../../detector/src/alerts/runbook";
import { ReportCollector } from "../../../detector/src/report/collect";
import { attr, html, renderReport } from "../../../detector/src/report/html";
import { timeline } from "../../../detector/src/report/timeline";
import { alertFor } from "../../support/engine";
import { baseEvent } from "../../support/events";

const hostile = '<script>alert("x")</script>';

function report(alerts: Alert[], maxRows?: number): string {
  const stats = new ScanStats();
  const collected = new ReportCollector(maxRows);
  for (const a of alerts) {
    stats.alert(a);
    collected.add(a);
  }
  stats.events = alerts.length;
  return renderReport(scanSummary(stats, { inputs: 1, unreadable: 0 }), collected, { generatedAt: "2026-01-01T00:00:00Z", inputs: [`logs/${hostile}.json`] });
}

describe("HTML report", () => {
  const event = { ...baseEvent("E1"), userAgent: hostile, userIdentity: { type: "IAMUser", userName: `"><img src=x onerror=alert(1)>` }, sourceIPAddress: "<b>1.2.3.4</b>" };
  const alert = alertFor("ua=%ct.useragent user=%ct.user", event, { rule: `Rule <i>with</i> "markup" & more` });
  const page = report([alert]);

  it("escapes every value from the logs and the command line: the page has one script, its own", () => {
    expect(page.match(/<script/g)).toHaveLength(1);
    expect(page).not.toContain("<img");
    expect(page).not.toContain("<b>1.2.3.4");
    expect(page).not.toContain("<i>with");
    expect(page).toContain("ua=&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;");
    expect(page).toContain("logs/&lt;script&gt;");
    expect(page).toContain('data-principal="&quot;&gt;&lt;img src=x onerror=alert(1)&gt;"');
  });

  it("allows, by its policy, no request and no script or style but its own", () => {
    const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(page)?.[1].replace(/&#39;/g, "'");
    expect(csp).toMatch(/^default-src 'none'; style-src 'sha256-[^']+'; script-src 'sha256-[^']+'; img-src data:/);
    // No element that loads anything (img, link, iframe, object...): only these are written.
    const tags = new Set([...page.matchAll(/<([a-zA-Z][a-zA-Z0-9]*)/g)].map((m) => m[1].toLowerCase()));
    const allowed = "html head meta title style body header h1 h2 p strong section div span svg line text rect title ol li button label input select option table thead tbody tr th td a script";
    expect([...tags].filter((t) => !allowed.split(" ").includes(t))).toEqual([]);
    expect(page).not.toMatch(/https?:\/\/(?!www\.w3\.org)/);
  });

  it("links each alert's rule to its runbook", () => {
    expect(page).toContain(`<a href="${attr(runbookUrl(alert.rule))}" title="runbook">Rule &lt;i&gt;with&lt;/i&gt; &quot;markup&quot; &amp; more</a>`);
  });

  it("lists the first alerts in the table and counts the others", () => {
    const many = report([alert, alert, alert], 2);
    expect(many.match(/<tr data-priority/g)).toHaveLength(2);
    expect(many).toContain("1 more are counted above but not listed");
    expect(many).toContain('data-figure="alerts">3<');
  });

  it("says so when a scan raised no alert", () => {
    const empty = report([]);
    expect(empty).toContain("<p>No alerts.</p>");
    expect(empty).toContain('data-figure="alerts">0<');
    expect(empty).not.toContain("<tr data-priority");
  });

  it("escapes the five HTML characters", () => {
    expect(html(`<a href="x">'&'</a>`)).toBe("&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;");
    expect(attr('"')).toBe("&quot;");
  });
});

describe("report timeline", () => {
  it("bins alerts by a round width, counted by priority", () => {
    const t0 = Date.UTC(2026, 0, 1, 10, 2);
    const t = timeline([t0, t0 + 30_000, t0 + 5 * 60_000], [3, 4, 3]);
    expect(t).toEqual({ binMs: 60_000, startMs: t0, counts: [[0, 0, 0, 1, 1, 0, 0, 0], [0, 0, 0, 0, 0, 0, 0, 0], [0, 0, 0, 0, 0, 0, 0, 0], [0, 0, 0, 0, 0, 0, 0, 0], [0, 0, 0, 0, 0, 0, 0, 0], [0, 0, 0, 1, 0, 0, 0, 0]] });
  });

  it("keeps the bars few over a long span", () => {
    const t = timeline([0, 400 * 86_400_000], [0, 7])!;
    expect(t.counts.length).toBeLessThanOrEqual(72);
    expect(t.counts.flat().reduce((a, b) => a + b, 0)).toBe(2);
  });

  it("has nothing to draw without alerts", () => {
    expect(timeline([], [])).toBeUndefined();
  });
});
