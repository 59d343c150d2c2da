/**
 * The report page's own style sheet and script, inlined into every report (the page's policy
 * allows exactly these two, by hash). The script only shows and hides table rows: the content is
 * all in the HTML, readable with scripts off.
 */

export const PAGE_CSS = `
:root { --fg: #1d2330; --muted: #5d6678; --line: #dde1e8; --bg: #f6f7f9; --card: #fff;
  --emergency: #7a0012; --alert: #a3001b; --critical: #d1242f; --error: #e8590c; --warning: #d9a300;
  --notice: #1c7ed6; --informational: #2f9e44; --debug: #868e96; --any: #5c7cfa; }
* { box-sizing: border-box; }
body { margin: 0; padding: 24px 32px; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: var(--fg); background: var(--bg); }
h1 { font-size: 22px; margin: 0 0 4px; }
h2 { font-size: 15px; margin: 0 0 8px; }
section { background: var(--card); border: 1px solid var(--line); border-radius: 8px; padding: 16px; margin: 16px 0; }
.meta { color: var(--muted); margin: 0; word-break: break-all; }
.warn { color: var(--critical); }
.figures { display: flex; gap: 16px; background: none; border: none; padding: 0; }
.figure { flex: 1; background: var(--card); border: 1px solid var(--line); border-radius: 8px; padding: 12px 16px; }
.figure .number { display: block; font-size: 28px; font-weight: 600; }
.figure .label { color: var(--muted); }
#timeline { width: 100%; height: auto; display: block; }
#timeline text { font-size: 11px; fill: var(--muted); }
#timeline .axis { stroke: var(--line); }
.legend { color: var(--muted); margin: 6px 0 0; }
.tops { display: grid; grid-template-columns: repeat(auto-fit, minmax(320px, 1fr)); gap: 16px; background: none; border: none; padding: 0; }
.top { background: var(--card); border: 1px solid var(--line); border-radius: 8px; padding: 16px; min-width: 0; }
.top ol { list-style: none; margin: 0; padding: 0; }
.top li { margin: 2px 0; }
.top li.rest { color: var(--muted); padding: 2px 6px; }
.facet { position: relative; display: flex; width: 100%; gap: 8px; align-items: center; border: 0; background: none; padding: 3px 6px; font: inherit; color: inherit; text-align: left; cursor: pointer; border-radius: 4px; }
.facet:hover { background: var(--bg); }
.facet .bar { position: absolute; left: 0; top: 0; width: 100%; height: 100%; opacity: 0.18; pointer-events: none; }
.facet .name { flex: 1; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
.facet .n { font-variant-numeric: tabular-nums; font-weight: 600; }
.filters { display: flex; flex-wrap: wrap; gap: 12px; align-items: center; margin-bottom: 10px; }
.filters input, .filters select { font: inherit; padding: 3px 6px; }
#facet { background: var(--bg); border: 1px solid var(--line); border-radius: 12px; padding: 1px 4px 1px 10px; }
#facet button { border: 0; background: none; cursor: pointer; font: inherit; }
.count { margin-left: auto; color: var(--muted); }
table { width: 100%; border-collapse: collapse; table-layout: fixed; }
th, td { text-align: left; padding: 5px 6px; border-bottom: 1px solid var(--line); vertical-align: top; overflow-wrap: anywhere; }
th { font-weight: 600; color: var(--muted); }
th:nth-child(1) { width: 11.5em; } th:nth-child(2) { width: 7.5em; } th:nth-child(3) { width: 16%; }
th:nth-child(4) { width: 14%; } th:nth-child(5) { width: 11%; } th:nth-child(6) { width: 9em; }
td.time { font-variant-numeric: tabular-nums; white-space: nowrap; }
td.message { font-family: ui-monospace, SFMono-Regular, Menlo, monospace; font-size: 12px; }
.none { color: var(--muted); }
.pill { display: inline-block; padding: 0 7px; border-radius: 10px; color: #fff; font-size: 12px; }
.pill.p-warning { color: #222; }
.p-emergency { background: var(--emergency); fill: var(--emergency); }
.p-alert { background: var(--alert); fill: var(--alert); }
.p-critical { background: var(--critical); fill: var(--critical); }
.p-error { background: var(--error); fill: var(--error); }
.p-warning { background: var(--warning); fill: var(--warning); }
.p-notice { background: var(--notice); fill: var(--notice); }
.p-informational { background: var(--informational); fill: var(--informational); }
.p-debug { background: var(--debug); fill: var(--debug); }
.p-any { fill: var(--any); }
`;

export const PAGE_SCRIPT = `
"use strict";
(function () {
  var rows = Array.prototype.slice.call(document.querySelectorAll("#alerts tbody tr"));
  var text = document.getElementById("filter-text");
  var priority = document.getElementById("filter-priority");
  var rule = document.getElementById("filter-rule");
  var shown = document.getElementById("shown");
  var chip = document.getElementById("facet");
  var chipText = document.getElementById("facet-text");
  var facet = null;
  var names = { priority: "priority", rule: "rule", principal: "principal", bucket: "bucket", sourceAddress: "source address" };
  function apply() {
    var q = text.value.trim().toLowerCase();
    var n = 0;
    rows.forEach(function (tr) {
      var ok = (!priority.value || tr.dataset.priority === priority.value) &&
        (!rule.value || tr.dataset.rule === rule.value) &&
        (!facet || tr.dataset[facet.key] === facet.value) &&
        (!q || tr.textContent.toLowerCase().indexOf(q) >= 0);
      tr.hidden = !ok;
      if (ok) n++;
    });
    shown.textContent = String(n);
  }
  text.addEventListener("input", apply);
  priority.addEventListener("change", apply);
  rule.addEventListener("change", apply);
  Array.prototype.forEach.call(document.querySelectorAll("button.facet"), function (b) {
    b.addEventListener("click", function () {
      facet = { key: b.dataset.facet, value: b.dataset.value };
      chipText.textContent = names[facet.key] + ": " + (facet.value || "(none)");
      chip.hidden = false;
      apply();
      document.getElementById("alerts").scrollIntoView({ behavior: "smooth" });
    });
  });
  document.getElementById("facet-clear").addEventListener("click", function () {
    facet = null;
    chip.hidden = true;
    apply();
  });
})();
`;
