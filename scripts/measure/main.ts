import * as fs from "node:fs";
import * as path from "node:path";
import { bundledRulesDir, loadRules, loadStatefulRules, readFixtures, readRulesFiles, type RulesFile } from "s3guard";
import { pantherTests, invictusRecords } from "./datasets";
import { measureNoise } from "./noise";
import { measurePantherAgreement } from "./panther";
import { formatMarkdown, formatReadmeSection, formatText, replaceReadmeSection, type RuleRow } from "./report";
import { isTechniqueId, isMitreTag, themeOf } from "./tags";
import { measureTechniques } from "./techniques";
import type { CloudTrailRecord, EvaluateAll } from "./types";
import { repoRoot, sharedDataDir, sharedDataPath } from "../sharedData";

const USAGE = `Usage: node scripts/dist/measure/main.js [--docs FILE] [--readme FILE]

Measures the bundled rules on the shared data sets and prints: the Stratus Red Team S3/CloudTrail
techniques detected on their real records, the alerts on ordinary Invictus-IR traffic by rule,
and the agreement with Panther's labelled tests. With --docs, also writes the figures and the
rules table to FILE (Markdown); with --readme, rewrites the part of FILE between the rules markers
with the three figures and the rules table. The shared data is found through S3GUARD_SHARED_DATA
(default ../shared/data next to the repository).`;

/**
 * Every matching rule's alerts, record by record. Stateful rules (threshold, suppress, sequence)
 * are loaded as such and so do not alert on single records; their fixtures measure them.
 */
function evaluator(files: readonly RulesFile[]): EvaluateAll {
  return (records: readonly CloudTrailRecord[]) => {
    const loaded = loadStatefulRules(files, { ruleMatching: "all" });
    if (!loaded.ok || !loaded.ruleset) throw new Error(`the bundled rules do not load: ${loaded.errors.map((e) => e.text).join("\n")}`);
    const ruleset = loaded.ruleset;
    return records.map((r) => ruleset.inspect(r).alerts.map((a) => ({ rule: a.rule, tags: a.tags })));
  };
}

async function ruleRows(files: readonly RulesFile[], rulesDir: string): Promise<RuleRow[]> {
  const loaded = loadRules(files);
  if (!loaded.ruleset) return [];
  const fixtures = await readFixtures(path.join(rulesDir, "tests"));
  return [...loaded.ruleset.rules]
    .sort((a, b) => a.index - b.index)
    .map((rule) => {
      const cases = fixtures.cases.filter((c) => c.rule === rule.name);
      return {
        name: rule.name,
        theme: themeOf(rule.tags) ?? "",
        priority: rule.priority,
        mitre: [...rule.tags.filter(isTechniqueId), ...rule.tags.filter((t) => isMitreTag(t) && !isTechniqueId(t))],
        enabled: rule.enabled,
        alertCases: cases.filter((c) => c.expect.kind === "alert" || (c.expect.kind === "count" && c.expect.count > 0)).length,
        noAlertCases: cases.filter((c) => c.expect.kind === "no_alert" || (c.expect.kind === "count" && c.expect.count === 0)).length,
      };
    });
}

async function main(argv: string[]): Promise<number> {
  if (argv.includes("-h") || argv.includes("--help")) {
    process.stdout.write(USAGE + "\n");
    return 0;
  }
  const docsAt = argv.indexOf("--docs");
  const docs = docsAt >= 0 ? argv[docsAt + 1] : undefined;
  const readmeAt = argv.indexOf("--readme");
  const readme = readmeAt >= 0 ? argv[readmeAt + 1] : undefined;
  if ((docsAt >= 0 && !docs) || (readmeAt >= 0 && !readme)) {
    process.stderr.write(`--docs and --readme need a file\n\n${USAGE}\n`);
    return 2;
  }
  const root = repoRoot(__dirname);
  const rulesDir = bundledRulesDir();
  const files = await readRulesFiles([rulesDir]);
  const dir = sharedDataDir(root);
  if (!dir) {
    process.stdout.write(`shared data not found at ${sharedDataPath(root)}; skipped (set S3GUARD_SHARED_DATA)\n`);
    return 0;
  }
  const evaluateAll = evaluator(files);
  const measurements = {
    techniques: measureTechniques(dir, evaluateAll),
    noise: measureNoise(invictusRecords(dir), evaluateAll),
    panther: measurePantherAgreement(pantherTests(dir), (record) => evaluateAll([record])[0]),
  };
  process.stdout.write(formatText(measurements));
  if (docs) {
    const target = path.resolve(root, docs);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, formatMarkdown(measurements, await ruleRows(files, rulesDir)));
    process.stdout.write(`\nWrote ${path.relative(root, target)}\n`);
  }
  if (readme) {
    const target = path.resolve(root, readme);
    const section = formatReadmeSection(measurements, await ruleRows(files, rulesDir));
    fs.writeFileSync(target, replaceReadmeSection(fs.readFileSync(target, "utf8"), section));
    process.stdout.write(`Wrote the rules part of ${path.relative(root, target)}\n`);
  }
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(`${e instanceof Error ? e.stack ?? e.message : String(e)}\n`);
    process.exitCode = 1;
  },
);
