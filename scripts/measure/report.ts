import { DETECTIONS } from "./detections";
import type { NoiseResult } from "./noise";
import type { PantherResult } from "./panther";
import { TECHNIQUES_WITHOUT_RECORDS, type TechniqueResult } from "./techniques";

/** One line of the rules table. */
export interface RuleRow {
  name: string;
  theme: string;
  priority: string;
  mitre: string[];
  enabled: boolean;
  alertCases: number;
  noAlertCases: number;
}

export interface Measurements {
  techniques: TechniqueResult[];
  noise: NoiseResult;
  panther: PantherResult;
}

function markdownTable(header: string[], rows: string[][]): string {
  const esc = (c: string) => c.replace(/\|/g, "\\|");
  return [`| ${header.join(" | ")} |`, `|${header.map(() => "---").join("|")}|`, ...rows.map((r) => `| ${r.map(esc).join(" | ")} |`)].join("\n");
}

function textTable(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i])).join("  ").trimEnd();
  return [line(header), line(widths.map((w) => "-".repeat(w))), ...rows.map(line)].join("\n");
}

function techniqueRows(results: readonly TechniqueResult[]): { header: string[]; rows: string[][] } {
  return {
    header: ["technique", "MITRE", "records from", "records", "alerted", "detected by (rules tagged with the MITRE id)", "note"],
    rows: results.map((r) => [
      r.source.technique,
      r.source.mitre,
      r.source.dataset,
      String(r.records),
      String(r.alertedRecords),
      r.detected ? r.detectingRules.join(", ") : "not detected",
      r.source.note ?? "",
    ]),
  };
}

function techniqueSummary(results: readonly TechniqueResult[]): string {
  const ids = [...new Set(results.map((r) => r.source.technique))];
  const detected = ids.filter((id) => results.some((r) => r.source.technique === id && r.detected));
  return `${detected.length} of ${ids.length} Stratus Red Team S3/CloudTrail techniques with detonation records in the shared data are detected on those real records.`;
}

function noiseRows(noise: NoiseResult): { header: string[]; rows: string[][] } {
  return {
    header: ["rule", "alerts on ordinary records", "records (call, resource, client)"],
    rows: noise.byRule.map((n) => [n.rule, String(n.count), n.examples.join("; ")]),
  };
}

function noiseSummary(noise: NoiseResult): string {
  return (
    `${noise.records} records, ${noise.benignRecords} without Stratus Red Team's user agent: ` +
    `${noise.benignAlerts} alert(s) on them from ${noise.byRule.length} rule(s) (and ${noise.attackAlerts} on the simulation's own records).`
  );
}

function pantherRows(panther: PantherResult): { header: string[]; rows: string[][] } {
  return {
    header: ["Panther rule", "bundled rule(s)", "tests", "agree", "disagreements"],
    rows: panther.rows.map((r) => [
      r.mapping.panther + (r.mapping.eventSources ? ` (${r.mapping.eventSources.join(", ")} events)` : ""),
      r.mapping.ours.join(", "),
      String(r.tests),
      String(r.agree),
      r.disagreements
        .map(
          (d) =>
            `'${d.test}': expected ${d.expected ? "alert" : "none"}, got ${d.got ? "alert" : "none"}` +
            `${d.hasMocks ? " (Panther test mocks a lookup)" : ""}${d.explanation ? ` (${d.explanation})` : ""}`,
        )
        .join("; "),
    ]),
  };
}

function pantherSummary(panther: PantherResult): string {
  const norm = Object.entries(panther.normalised)
    .map(([what, n]) => `${what}: ${n}`)
    .join(", ");
  return (
    `${panther.agree} of ${panther.tests} labelled tests agree (${((100 * panther.agree) / Math.max(panther.tests, 1)).toFixed(1)}%) across ${panther.rows.length} mapped rules. ` +
    `Events were normalised before evaluation (${norm || "none needed"}).`
  );
}

function ruleRows(rules: readonly RuleRow[]): { header: string[]; rows: string[][] } {
  return {
    header: ["rule", "theme", "priority", "MITRE ATT&CK", "fixtures: alert / no alert"],
    rows: rules.map((r) => [r.name + (r.enabled ? "" : " (disabled by default)"), r.theme, r.priority, r.mitre.join(", "), `${r.alertCases} / ${r.noAlertCases}`]),
  };
}

/** The three measurements as plain text for the terminal. */
export function formatText(m: Measurements): string {
  const t = techniqueRows(m.techniques);
  const n = noiseRows(m.noise);
  const p = pantherRows(m.panther);
  return [
    "1. Stratus Red Team techniques on their real detonation records",
    "",
    textTable(t.header, t.rows),
    "",
    techniqueSummary(m.techniques),
    `Not in the shared data (fixtures only): ${TECHNIQUES_WITHOUT_RECORDS.map((x) => x.technique).join(", ")}.`,
    "",
    "2. Alerts on ordinary traffic (Invictus-IR records without Stratus Red Team's user agent)",
    "",
    n.rows.length ? textTable(n.header, n.rows) : "(none)",
    "",
    noiseSummary(m.noise),
    "",
    "3. Agreement with Panther's labelled tests for the rules that mean the same thing",
    "",
    textTable(p.header, p.rows),
    "",
    pantherSummary(m.panther),
    "",
  ].join("\n");
}

/** docs/rules.md: the figures and the rules table, regenerated by `npm run coverage:rules`. */
export function formatMarkdown(m: Measurements, rules: readonly RuleRow[]): string {
  const t = techniqueRows(m.techniques);
  const n = noiseRows(m.noise);
  const p = pantherRows(m.panther);
  const r = ruleRows(rules);
  const w = TECHNIQUES_WITHOUT_RECORDS.map((x) => [x.technique, x.mitre, x.rules]);
  return [
    "# Bundled rules: coverage and noise",
    "",
    "Generated by `npm run coverage:rules` from `rules/`, `rules/tests/` and the shared data sets",
    "(`S3GUARD_SHARED_DATA`, default `../shared/data`); edit the rules or fixtures, not this file.",
    "`s3guard test` runs the fixtures; tune the rules through the lists and macros of",
    "`rules/00-s3guard-lists.yaml` in a rules file of your own loaded after the bundled ones.",
    "",
    "## Stratus Red Team techniques, on their real detonation records",
    "",
    "A technique is detected when a bundled rule whose tags name its MITRE ATT&CK id alerts on its",
    "records: Stratus Red Team's own detonation logs, or the Invictus-IR simulation records of that",
    "detonation (Stratus user agent and the technique's resource names).",
    "",
    markdownTable(t.header, t.rows),
    "",
    techniqueSummary(m.techniques),
    "",
    "Stratus Red Team's other S3 techniques have no detonation records in the shared data; fixtures",
    "shaped on the sample events of their documentation cover them:",
    "",
    markdownTable(["technique", "MITRE", "bundled rules"], w),
    "",
    "## Noise on ordinary traffic (Invictus-IR)",
    "",
    "Every Invictus-IR record is evaluated in order; alerts on records whose user agent is not",
    "Stratus Red Team's are false-positive candidates. Each rule listed explains them in its `desc`.",
    "",
    n.rows.length ? markdownTable(n.header, n.rows) : "No alerts.",
    "",
    noiseSummary(m.noise),
    "",
    "## Agreement with Panther's labelled tests",
    "",
    "Panther's test events for the S3 and CloudTrail rules that mean the same thing as a bundled",
    "rule; a test agrees when a mapped bundled rule alerts exactly when Panther expects its rule to.",
    "",
    markdownTable(p.header, p.rows),
    "",
    pantherSummary(m.panther),
    "",
    "## Rules",
    "",
    "Priorities follow one scale: **Critical** when data is made open to everyone (or the",
    "account-wide guard against it is removed), the audit trail or threat detection is blinded, or",
    "ransomware leaves its note; **Error** when a protection between the data and an attacker is",
    "removed, data is handed to or reached from outside the account, or encrypted out of the",
    "owner's reach; **Warning** when a protection is weakened or data is deleted or read in ways",
    "administrators also do; **Notice** for signals that are weak alone (website hosting, any CORS",
    "origin, a bucket deleted, a network outside the expected ones).",
    "",
    markdownTable(r.header, r.rows),
    "",
    "## Testing rules, yours included",
    "",
    "`s3guard test [RULES...] [--fixtures DIR] [--require-fixtures]` loads the rules (default:",
    "the bundled ones) and runs every fixture file under `DIR` (default `<first RULES folder>/tests`,",
    "any depth). A fixture file is a YAML list of cases; each case names the rule under test, says",
    "where its records come from, and gives CloudTrail records evaluated in order by a fresh ruleset",
    "in which every matching rule alerts:",
    "",
    "```yaml",
    "- rule: S3 Bucket Public Access Block Removed",
    "  description: DeleteBucketPublicAccessBlock by an IAM user",
    "  source: \"shaped on <data file and record>, or written by s3guard: <why>\"",
    "  expect: alert          # alert (1 or more) | no_alert | N (exactly N alerts of the rule)",
    "  events:",
    "    - {eventVersion: \"1.09\", eventTime: \"2023-07-10T12:00:00Z\", eventType: AwsApiCall, ...}",
    "```",
    "",
    "It prints `rule | cases | passed | failed` and every failure (fixture file and line, case,",
    "expected and actual alert count, the alerts' messages). Exit status: 0 all pass, 1 a case fails",
    "(or, with `--require-fixtures`, a rule has none), 2 the rules do not load. A rule disabled by",
    "default is enabled for its own cases.",
    "",
    "## The thirty detections of the specification",
    "",
    "The detections of `shared/spec/detections.md` and the rules that make them; the count-based",
    "ones are stateful rules (threshold, suppress, sequence: docs/stateful-rules.md).",
    "",
    markdownTable(
      ["id", "detection", "bundled rules"],
      DETECTIONS.map((d) => [d.id, d.detection, d.rules.length ? d.rules.join(", ") : `none: ${d.gap ?? ""}`]),
    ),
    "",
  ].join("\n");
}

/** Markers around the README's generated part: the figures and the rules table. */
export const README_BEGIN = "<!-- rules:begin (npm run coverage:rules writes this part) -->";
export const README_END = "<!-- rules:end -->";

/** The README's part between the markers: the three figures in one line each, and the rules table. */
export function formatReadmeSection(m: Measurements, rules: readonly RuleRow[]): string {
  const r = ruleRows(rules);
  return [
    README_BEGIN,
    `- Stratus Red Team: ${techniqueSummary(m.techniques)}`,
    `- Ordinary traffic (Invictus-IR): ${noiseSummary(m.noise)}`,
    `- Panther's labelled tests: ${pantherSummary(m.panther)}`,
    "",
    markdownTable(r.header, r.rows),
    README_END,
  ].join("\n");
}

/** `text` with its part between the markers replaced, or an error when the markers are missing. */
export function replaceReadmeSection(text: string, section: string): string {
  const begin = text.indexOf(README_BEGIN);
  const end = text.indexOf(README_END);
  if (begin < 0 || end < begin) throw new Error(`the README has no "${README_BEGIN}" ... "${README_END}" part to write`);
  return text.slice(0, begin) + section + text.slice(end + README_END.length);
}
