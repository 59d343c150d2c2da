import * as fs from "fs";
import * as path from "path";

/** A rules file to upload: its bucket key and its text. */
export interface RuleFile {
  readonly name: string;
  readonly key: string;
  readonly content: string;
}

const RULES_FILE = /\.ya?ml$/i;

/**
 * The `*.yaml`/`*.yml` files directly in `dir` (not its subfolders: `rules/tests/` holds fixtures),
 * in name order, read now so that a changed rule changes the program's inputs and shows in
 * `pulumi preview`. A missing folder means no rules to upload.
 */
export function listRuleFiles(dir: string, keyPrefix: string): RuleFile[] {
  if (!fs.existsSync(dir)) {
    return [];
  }
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isFile() && RULES_FILE.test(entry.name))
    .map((entry) => entry.name)
    .sort()
    .map((name) => ({ name, key: `${keyPrefix}${name}`, content: fs.readFileSync(path.join(dir, name), "utf8") }));
}
