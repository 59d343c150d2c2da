import { parseArgs } from "node:util";
import { loadStatefulRules } from "../stateful";
import { noCloudTrailRule, readRulesFiles } from "./rulesFiles";
import { usageError } from "./usage";

export const VALIDATE_HELP = `Usage: s3guard validate [--json] PATH...

Loads rules files as the scanner and the service would, stateful keys (threshold, suppress,
sequence) included, and reports every error with its file, item and position, or that they
load. Rules files in which no rule applies to CloudTrail are an error. Warnings go to stderr.

PATH       a rules file, or a folder of *.yaml/*.yml files (in name order); several load in order.

Options:
  --json       print the load result (errors and warnings with their locations) as JSON on stdout.
  -h, --help   show this help.

Exit status: 0 when the rules load, 1 when they do not, 2 on a usage error.`;

export async function validateCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { json: { type: "boolean", default: false }, help: { type: "boolean", short: "h", default: false } },
  });
  if (values.help) {
    process.stdout.write(VALIDATE_HELP + "\n");
    return 0;
  }
  if (positionals.length === 0) {
    return usageError("validate", "no PATH given (a rules file or folder)");
  }
  let files;
  try {
    files = await readRulesFiles(positionals);
  } catch (e) {
    process.stderr.write(`s3guard validate: ${(e as Error).message}\n`);
    return 1;
  }
  const result = loadStatefulRules(files);
  const empty = result.ok && result.ruleset ? noCloudTrailRule(result.ruleset.describe().rules, result.warnings) : undefined;
  if (empty) {
    const names = files.map((f) => f.name).join(", ");
    result.ok = false;
    result.errors.push({ code: "LOAD_ERR_NO_CLOUDTRAIL_RULE", message: empty, location: {}, text: `${names}: ${empty} [LOAD_ERR_NO_CLOUDTRAIL_RULE]` });
  }
  if (values.json) {
    const summary = result.ruleset?.describe();
    process.stdout.write(JSON.stringify({ ok: result.ok, files: files.map((f) => f.name), ...(summary ? { rules: summary } : {}), errors: result.errors, warnings: result.warnings }, null, 2) + "\n");
  } else {
    for (const w of result.warnings) process.stderr.write(`warning: ${w.text}\n`);
    for (const e of result.errors) process.stderr.write(`error: ${e.text}\n`);
    if (result.ok && result.ruleset) {
      const d = result.ruleset.describe();
      process.stdout.write(`OK: ${files.length} file(s), ${d.rules} CloudTrail rules (${d.enabled} enabled), ${result.warnings.length} warning(s)\n`);
    }
  }
  return result.ok ? 0 : 1;
}
