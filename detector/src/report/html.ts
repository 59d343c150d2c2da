import { createHash } from "node:crypto";
import { PRIORITIES, type Priority } from "../engine";
import { DIMENSIONS, type Dimension, type ScanSummary } from "../cli/summary";
import { escapeControls, shorten } from "../cli/textOutput";
import { MESSAGE_LENGTH, type ReportCollector, type ReportRow } from "./collect";
import { PAGE_CSS, PAGE_SCRIPT } from "./page";
import { timeline, type Timeline } from "./timeline";

/**
 * `s3guard scan --report FILE`: one HTML file that needs nothing else. Styles and script are
 * inline, the timeline is SVG drawn here, and the page's Content-Security-Policy allows no request
 * at all and no script but its own (by hash): a value that slipped through escaping could still
 * neither run nor fetch anything. Every value from the logs is escaped where it is written.
 */

export interface ReportInfo {
  /** When the report was written (ISO 8601). */
  generatedAt: string;
  /** What was scanned, as given on the command line. */
  inputs: readonly string[];
}

export const TOP = 10;

const TITLES: Record<Dimension, string> = {
  priority: "Priorities",
  rule: "Top rules",
  principal: "Top principals",
  bucket: "Top buckets",
  sourceAddress: "Top source addresses",
};

export function renderReport(summary: ScanSummary, collected: ReportCollector, info: ReportInfo): string {
  const csp = `default-src 'none'; style-src '${sha256(PAGE_CSS)}'; script-src '${sha256(PAGE_SCRIPT)}'; img-src data:; base-uri 'none'; form-action 'none'`;
  const rules = summary.alertsBy.rule.values.map((c) => c.value).filter((v): v is string => v !== null).sort();
  const present = PRIORITIES.filter((p) => summary.alertsBy.priority.values.some((c) => c.value === p));
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${attr(csp)}">
<meta name="referrer" content="no-referrer">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>s3guard report: ${summary.alerts} alerts</title>
<style>${PAGE_CSS}</style>
</head>
<body>
<header>
<h1>s3guard scan report</h1>
<p class="meta">Written ${html(info.generatedAt)} from ${html(describeInputs(info.inputs))}${summary.interrupted ? ' <strong class="warn">(interrupted: not every input was read)</strong>' : ""}</p>
</header>
<section class="figures">
${figure("alerts", summary.alerts, "alerts")}
${figure("events", summary.events, "events evaluated")}
${figure("inputs", summary.inputs, "inputs")}
${figure("errors", summary.errors + summary.inputsWithErrors, "errors")}
</section>
<section>
<h2>Alerts over time</h2>
${timelineSvg(timeline(collected.times, collected.severities))}
</section>
<section class="tops">
${DIMENSIONS.map((d) => topList(d, summary)).join("\n")}
</section>
<section>
<h2>Alerts</h2>
<div class="filters">
<label>Search <input id="filter-text" type="search" placeholder="any text in the row"></label>
<label>Priority <select id="filter-priority"><option value="">all</option>${present.map((p) => `<option value="${attr(p)}">${html(p)}</option>`).join("")}</select></label>
<label>Rule <select id="filter-rule"><option value="">all</option>${rules.map((r) => `<option value="${attr(r)}">${html(r)}</option>`).join("")}</select></label>
<span id="facet" hidden><span id="facet-text"></span> <button id="facet-clear" type="button">×</button></span>
<span class="count"><span id="shown">${collected.rows.length}</span> of ${collected.rows.length} listed</span>
</div>
${collected.notListed > 0 ? `<p class="warn">The table lists the first ${collected.rows.length} alerts; ${collected.notListed} more are counted above but not listed (see the JSON output).</p>` : ""}
<table id="alerts">
<thead><tr><th>Time (UTC)</th><th>Priority</th><th>Rule</th><th>Principal</th><th>Bucket</th><th>Source address</th><th>Output</th></tr></thead>
<tbody>
${collected.rows.map(row).join("\n")}
</tbody>
</table>
</section>
<script>${PAGE_SCRIPT}</script>
</body>
</html>
`;
}

function figure(name: string, n: number, label: string): string {
  return `<div class="figure"><span class="number" data-figure="${name}">${n}</span><span class="label">${label}</span></div>`;
}

function describeInputs(inputs: readonly string[]): string {
  const shown = inputs.slice(0, 3).map((i) => (i === "-" ? "stdin" : i));
  return shown.join(", ") + (inputs.length > 3 ? ` and ${inputs.length - 3} more` : "");
}

function topList(dimension: Dimension, summary: ScanSummary): string {
  const { values: top, others } = summary.alertsBy[dimension];
  const shown = dimension === "priority" ? top : top.slice(0, TOP);
  const max = Math.max(1, ...shown.map((c) => c.alerts));
  const items = shown.map((c) => {
    const value = c.value ?? "";
    const label = c.value === null ? "(none)" : display(c.value, 80);
    const colour = dimension === "priority" ? `p-${(c.value ?? "").toLowerCase()}` : "";
    return (
      `<li><button type="button" class="facet" data-facet="${dimension}" data-value="${attr(value)}" title="${attr(c.value ?? "(none)")}">` +
      // An SVG bar, not a style attribute: the page's policy allows no inline style but its own sheet.
      `<svg class="bar" viewBox="0 0 100 1" preserveAspectRatio="none" aria-hidden="true"><rect class="${colour || "p-any"}" width="${((c.alerts / max) * 100).toFixed(1)}" height="1"/></svg>` +
      `<span class="name">${label}</span><span class="n" data-count="${dimension}">${c.alerts}</span></button></li>`
    );
  });
  const rest = top.slice(shown.length).reduce((n, c) => n + c.alerts, others);
  if (rest > 0) items.push(`<li class="rest">and ${others > 0 ? "more than " : ""}${top.length - shown.length} more (${rest} alerts)</li>`);
  return `<div class="top" data-dimension="${dimension}"><h2>${TITLES[dimension]}</h2>${items.length ? `<ol>${items.join("")}</ol>` : "<p>none</p>"}</div>`;
}

function row(r: ReportRow): string {
  return (
    `<tr data-priority="${attr(r.priority)}" data-rule="${attr(r.rule)}" data-principal="${attr(r.principal ?? "")}" data-bucket="${attr(r.bucket ?? "")}" data-source-address="${attr(r.sourceAddress ?? "")}">` +
    `<td class="time">${html(r.time.replace("T", " ").replace(/\.\d+Z$/, ""))}</td>` +
    `<td><span class="pill p-${r.priority.toLowerCase()}">${html(r.priority)}</span></td>` +
    `<td><a href="${attr(r.runbook)}" title="runbook">${html(r.rule)}</a></td>` +
    `<td>${cell(r.principal)}</td><td>${cell(r.bucket)}</td><td>${cell(r.sourceAddress)}</td>` +
    `<td class="message">${display(r.message, MESSAGE_LENGTH)}</td></tr>`
  );
}

function cell(v: string | undefined): string {
  return v === undefined ? '<span class="none">–</span>' : display(v, 120);
}

/** A value from the logs as page text: shortened, control characters made visible, HTML-escaped. */
function display(v: string, max: number): string {
  return html(escapeControls(shorten(v, max)));
}

const WIDTH = 960;
const HEIGHT = 180;
const PAD = { left: 40, right: 8, top: 8, bottom: 22 };

function timelineSvg(t: Timeline | undefined): string {
  if (!t) return `<p>No alerts.</p>`;
  const totals = t.counts.map((c) => c.reduce((a, b) => a + b, 0));
  const max = Math.max(...totals);
  const plotW = WIDTH - PAD.left - PAD.right;
  const plotH = HEIGHT - PAD.top - PAD.bottom;
  const barW = plotW / t.counts.length;
  const bars: string[] = [];
  t.counts.forEach((counts, i) => {
    let y = PAD.top + plotH;
    const from = new Date(t.startMs + i * t.binMs).toISOString();
    // Most severe on top of the stack, where the eye goes first.
    for (let s = counts.length - 1; s >= 0; s--) {
      if (counts[s] === 0) continue;
      const h = (counts[s] / max) * plotH;
      y -= h;
      const p: Priority = PRIORITIES[s];
      bars.push(
        `<rect class="p-${p.toLowerCase()}" data-priority="${p}" data-count="${counts[s]}" x="${(PAD.left + i * barW + 1).toFixed(1)}" y="${y.toFixed(1)}" width="${Math.max(barW - 2, 1).toFixed(1)}" height="${h.toFixed(1)}">` +
          `<title>${from.slice(0, 16).replace("T", " ")} UTC: ${counts[s]} ${p}</title></rect>`,
      );
    }
  });
  const start = new Date(t.startMs).toISOString().slice(0, 16).replace("T", " ");
  const end = new Date(t.startMs + t.counts.length * t.binMs).toISOString().slice(0, 16).replace("T", " ");
  const present = PRIORITIES.filter((_, s) => t.counts.some((c) => c[s] > 0));
  return (
    `<svg id="timeline" viewBox="0 0 ${WIDTH} ${HEIGHT}" role="img" aria-label="alerts over time by priority">` +
    `<line class="axis" x1="${PAD.left}" y1="${PAD.top + plotH}" x2="${WIDTH - PAD.right}" y2="${PAD.top + plotH}"/>` +
    `<text x="${PAD.left - 6}" y="${PAD.top + 10}" text-anchor="end">${max}</text><text x="${PAD.left - 6}" y="${PAD.top + plotH}" text-anchor="end">0</text>` +
    bars.join("") +
    `<text x="${PAD.left}" y="${HEIGHT - 4}">${start} UTC</text><text x="${WIDTH - PAD.right}" y="${HEIGHT - 4}" text-anchor="end">${end} UTC</text>` +
    `</svg>` +
    `<p class="legend">Bars of ${binLabel(t.binMs)}. ${present.map((p) => `<span class="pill p-${p.toLowerCase()}">${p}</span>`).join(" ")}</p>`
  );
}

function binLabel(ms: number): string {
  const minutes = ms / 60_000;
  if (minutes < 60) return `${minutes} minute${minutes === 1 ? "" : "s"}`;
  if (minutes < 1440) return `${minutes / 60} hour${minutes === 60 ? "" : "s"}`;
  return `${minutes / 1440} day${minutes === 1440 ? "" : "s"}`;
}

const HTML_ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

/** Text for an element's content. */
export function html(text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]);
}

/** Text for a double-quoted attribute value. */
export function attr(text: string): string {
  return html(text);
}

function sha256(text: string): string {
  return `sha256-${createHash("sha256").update(text, "utf8").digest("base64")}`;
}
