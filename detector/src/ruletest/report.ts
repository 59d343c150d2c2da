import { expectationText } from "./fixture";
import type { CaseResult, RuleSummary, RuleTestReport } from "./runner";

/** The pass/fail table: one row per rule, `rule | cases | passed | failed`. */
export function formatTable(rules: readonly RuleSummary[]): string {
  const header = ["rule", "cases", "passed", "failed"];
  const rows = rules.map((r) => [r.rule + (r.enabled === false ? " (disabled by default)" : r.enabled === undefined ? " (not loaded)" : ""), String(r.cases), String(r.passed), String(r.failed)]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
  const render = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join(" | ");
  const rule = widths.map((w) => "-".repeat(w)).join("-+-");
  return [render(header), rule, ...rows.map(render)].join("\n");
}

function where(file: string, line?: number, index?: number): string {
  return `${file}${line ? `:${line}` : ""}${index ? ` (case ${index})` : ""}`;
}

function formatFailure(r: CaseResult): string {
  const c = r.case;
  const lines = [
    `FAIL ${c.rule}`,
    `  fixture:  ${where(c.file, c.line, c.index)}`,
    `  case:     ${c.description}`,
    `  expected: ${expectationText(c.expect)}; got ${r.count}`,
  ];
  for (const n of r.notes) lines.push(`  note:     ${n}`);
  if (r.messages.length === 0) lines.push("  alerts:   (none)");
  else r.messages.forEach((m, i) => lines.push(`  ${i === 0 ? "alerts:  " : "         "} ${m}`));
  return lines.join("\n");
}

/** Everything a user needs after a run: the table, each failure, unreadable fixtures, rules without fixtures, a summary. */
export function formatReport(report: RuleTestReport): string {
  if (!report.loaded) {
    return ["The rules did not load; no fixture was run.", ...report.loadErrors.map((e) => `error: ${e.text}`)].join("\n") + "\n";
  }
  const out: string[] = [formatTable(report.rules), ""];
  const failures = report.results.filter((r) => !r.passed);
  if (failures.length) out.push(`Failures (${failures.length})`, "", ...failures.map((f) => formatFailure(f) + "\n"));
  if (report.problems.length) {
    out.push(`Fixtures that could not be read (${report.problems.length})`, "");
    for (const p of report.problems) out.push(`FAIL ${where(p.file, p.line, p.index)}${p.rule ? ` [${p.rule}]` : ""}: ${p.message}`);
    out.push("");
  }
  if (report.untested.length) {
    out.push(`${report.requireFixtures ? "FAIL" : "warning"}: ${report.untested.length} rule(s) have no fixture:`);
    for (const r of report.untested) out.push(`  - ${r}`);
    out.push("");
  }
  const passed = report.results.filter((r) => r.passed).length;
  out.push(
    `${report.passed ? "PASS" : "FAIL"}: ${report.results.length + report.problems.length} case(s), ${passed} passed, ` +
      `${report.results.length - passed + report.problems.length} failed; ${report.rules.filter((r) => r.enabled !== undefined).length} rule(s), ${report.untested.length} without fixtures`,
  );
  return out.join("\n") + "\n";
}
