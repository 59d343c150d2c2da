import { promises as fs } from "node:fs";
import * as path from "node:path";
import { parseArgs } from "node:util";
import { formatReport, readFixtures, runRuleTests } from "../ruletest";
import { bundledRulesDir, readRulesFiles } from "./rulesFiles";

export const TEST_HELP = `Usage: s3guard test [options] [RULES...]

Runs rule fixtures: CloudTrail records with the alerts a rule must, or must not, raise on them.
Prints a table (rule | cases | passed | failed) and every failure with its fixture file, case,
expected and actual number of alerts and the alerts' messages.

RULES      rules files, or folders of *.yaml/*.yml files (not their subfolders), loaded in the
           order given. Default: the bundled rules.

Options:
  --fixtures DIR        folder of fixture files (*.yaml/*.yml at any depth).
                        Default: <first RULES folder>/tests (for a file: its folder's tests/).
  --require-fixtures    fail when a loaded rule has no fixture (otherwise a warning).
  -h, --help            show this help.

A fixture file is a YAML list of cases:

  - rule: S3 Bucket Public Access Block Removed   # the rule under test, by exact name
    description: DeleteBucketPublicAccessBlock by an IAM user
    source: where the records come from (a data file and record, or why they were written)
    expect: alert        # alert (1 or more) | no_alert | N (exactly N alerts of the rule)
    events:              # CloudTrail records, evaluated in order by a fresh ruleset
      - { eventVersion: "1.09", eventTime: "2023-07-10T12:00:00Z", eventType: AwsApiCall, ... }

Every matching rule alerts during tests (rule matching 'all'); a rule disabled by default is
enabled for its own cases. Quote account ids and times so YAML keeps them as strings.

Exit status: 0 when every case passes; 1 when a case fails, a fixture cannot be read, or (with
--require-fixtures) a rule has no fixture; 2 when the rules do not load or on a usage error.`;

async function isDirectory(p: string): Promise<boolean> {
  try {
    return (await fs.stat(p)).isDirectory();
  } catch {
    return false;
  }
}

/** `<first RULES folder>/tests`; for a rules file, the tests folder next to it. */
async function defaultFixturesDir(rules: readonly string[]): Promise<string> {
  const first = rules[0];
  return path.join((await isDirectory(first)) ? first : path.dirname(first), "tests");
}

/** A path as the user would type it: relative to the working folder when it lies inside it. */
function shown(p: string): string {
  const rel = path.relative(process.cwd(), p);
  return rel && !rel.startsWith("..") && !path.isAbsolute(rel) ? rel : p;
}

export async function testCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      fixtures: { type: "string" },
      "require-fixtures": { type: "boolean", default: false },
      help: { type: "boolean", short: "h", default: false },
    },
  });
  if (values.help) {
    process.stdout.write(TEST_HELP + "\n");
    return 0;
  }
  const rulesPaths = positionals.length ? positionals : [bundledRulesDir()];
  let files;
  try {
    files = await readRulesFiles(rulesPaths);
  } catch (e) {
    process.stderr.write(`s3guard test: ${(e as Error).message}\n`);
    return 2;
  }
  const fixturesDir = values.fixtures ?? (await defaultFixturesDir(rulesPaths));
  const fixtures = await readFixtures(fixturesDir);
  const report = await runRuleTests(files, fixtures.cases, fixtures.problems, { requireFixtures: values["require-fixtures"] });
  // A reader that stops early (`| head`) closes the pipe; that is not an error of the run.
  process.stdout.on("error", (e: NodeJS.ErrnoException) => {
    if (e.code !== "EPIPE") throw e;
  });
  process.stdout.write(`Rules: ${rulesPaths.map(shown).join(", ")}\nFixtures: ${shown(fixturesDir)} (${fixtures.files.length} file(s))\n\n` + formatReport(report));
  if (!report.loaded) return 2;
  return report.passed ? 0 : 1;
}
