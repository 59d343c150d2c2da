import * as fs from "node:fs";
import * as path from "node:path";
import { bundledRulesDir, loadRules, readFixtures, readRulesFiles, type RulesFile } from "s3guard";
import { measureDatasets } from "./coverage";
import { pantherTests } from "./datasets";
import { measurePantherAgreement } from "./panther";
import { DOCS_BEGIN, DOCS_END, formatDocsSection, formatReadmeSection, formatText, README_BEGIN, README_END, type RuleRow } from "./report";
import { datasetsPath } from "./sources";
import { replaceMarked } from "./tables";
import { isMitreTag, isTechniqueId, stageOf } from "./tags";
import { singleRecordEvaluator } from "./singleEvent";
import { repoRoot, sharedDataDir } from "../sharedData";

const USAGE = `Usage: node scripts/dist/measure/main.js [--docs FILE] [--readme FILE]

Measures the bundled rules on the public CloudTrail data sets of docs/datasets.md: per data set, the
labelled attacker actions detected at Notice or higher and the Warning+ alerts on the other records;
and the agreement with Panther's labelled tests. Data sets absent on this machine are reported as
absent. With --docs, rewrites the generated part of FILE (docs/rules.md); with --readme, the part of
FILE between the rules markers. The shared data is found through S3GUARD_SHARED_DATA (default
../shared/data), the fetched data sets through S3GUARD_DATASETS (default ../datasets).`;

async function ruleRows(files: readonly RulesFile[], rulesDir: string): Promise<RuleRow[]> {
  const loaded = loadRules(files, { extensionKeys: new Set(["threshold", "suppress", "sequence"]) });
  if (!loaded.ruleset) return [];
  const fixtures = await readFixtures(path.join(rulesDir, "tests"));
  return [...loaded.ruleset.rules]
    .sort((a, b) => a.index - b.index)
    .map((rule) => {
      const cases = fixtures.cases.filter((c) => c.rule === rule.name);
      return {
        name: rule.name,
        stage: (stageOf(rule.tags) ?? "").replace(/_/g, " "),
        priority: rule.priority,
        mitre: [...rule.tags.filter(isTechniqueId), ...rule.tags.filter((t) => isMitreTag(t) && !isTechniqueId(t))],
        enabled: rule.enabled,
        alertCases: cases.filter((c) => c.expect.kind === "alert" || (c.expect.kind === "count" && c.expect.count > 0)).length,
        noAlertCases: cases.filter((c) => c.expect.kind === "no_alert" || (c.expect.kind === "count" && c.expect.count === 0)).length,
      };
    });
}

function option(argv: string[], name: string): string | undefined | false {
  const at = argv.indexOf(name);
  if (at < 0) return undefined;
  return argv[at + 1] && !argv[at + 1].startsWith("--") ? argv[at + 1] : false;
}

async function main(argv: string[]): Promise<number> {
  if (argv.includes("-h") || argv.includes("--help")) {
    process.stdout.write(USAGE + "\n");
    return 0;
  }
  const docs = option(argv, "--docs");
  const readme = option(argv, "--readme");
  if (docs === false || readme === false) {
    process.stderr.write(`--docs and --readme need a file\n\n${USAGE}\n`);
    return 2;
  }
  const root = repoRoot(__dirname);
  const rulesDir = bundledRulesDir();
  const files = await readRulesFiles([rulesDir]);
  const shared = sharedDataDir(root);
  const measurements = {
    coverage: await measureDatasets(files, shared, datasetsPath(root)),
    panther: shared ? await measurePantherAgreement(pantherTests(shared), singleRecordEvaluator(files)) : { tests: 0, agree: 0, rows: [], normalised: {} },
  };
  process.stdout.write(formatText(measurements));
  if (docs) {
    const target = path.resolve(root, docs);
    const section = formatDocsSection(measurements, await ruleRows(files, rulesDir));
    fs.writeFileSync(target, replaceMarked(fs.readFileSync(target, "utf8"), DOCS_BEGIN, DOCS_END, section, docs));
    process.stdout.write(`\nWrote the generated part of ${path.relative(root, target)}\n`);
  }
  if (readme) {
    const target = path.resolve(root, readme);
    fs.writeFileSync(target, replaceMarked(fs.readFileSync(target, "utf8"), README_BEGIN, README_END, formatReadmeSection(measurements), readme));
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
