/**
 * `npm run check-config -- <stack> [--project-dir <dir>]`: checks `Pulumi.<stack>.yaml` with the program's
 * own validator, offline (no Pulumi CLI, backend or AWS access), and lists every problem at once.
 * Exit status: 0 valid, 1 problems found, 2 the command itself was misused.
 */
import { existsSync, readdirSync, readFileSync } from "fs";
import * as path from "path";
import { checkStackFile } from "../../components/configStackFile";
import { didYouMean } from "../../detector/src/suggest";

const USAGE = "usage: npm run check-config -- <stack> [--project-dir <dir>]   (checks Pulumi.<stack>.yaml)";

function fail(message: string, status: number): never {
  process.stderr.write(`check-config: ${message}\n`);
  process.exit(status);
}

function parseArgs(args: readonly string[]): { stack: string; projectDir: string } {
  let stack: string | undefined;
  let projectDir = process.cwd();
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === "--project-dir") {
      const dir = args[++i];
      if (dir === undefined) fail(`--project-dir needs a folder\n${USAGE}`, 2);
      projectDir = path.resolve(dir);
    } else if (arg === "-h" || arg === "--help") {
      process.stdout.write(`${USAGE}\n`);
      process.exit(0);
    } else if (arg.startsWith("-")) {
      fail(`unknown option ${arg}${didYouMean(arg, ["--project-dir", "--help"])}\n${USAGE}`, 2);
    } else if (stack !== undefined) {
      fail(`one stack at a time (got ${stack} and ${arg})\n${USAGE}`, 2);
    } else {
      stack = arg;
    }
  }
  if (stack === undefined) fail(`name the stack to check\n${USAGE}`, 2);
  // A Pulumi Cloud name (org/project/stack or org/stack) keeps its file under the bare stack name.
  const bare = stack.split("/").pop() ?? "";
  if (!/^[A-Za-z0-9_.-]+$/.test(bare)) fail(`"${stack}" is not a stack name (letters, digits, _ . -)`, 2);
  return { stack: bare, projectDir };
}

function stacksWithFiles(projectDir: string): string[] {
  return readdirSync(projectDir)
    .map((f) => /^Pulumi\.(.+)\.ya?ml$/.exec(f)?.[1])
    .filter((s): s is string => s !== undefined)
    .sort();
}

function main(): void {
  const { stack, projectDir } = parseArgs(process.argv.slice(2));
  if (!existsSync(path.join(projectDir, "Pulumi.yaml"))) {
    fail(`no Pulumi.yaml in ${projectDir}: run it from the project's folder, or give --project-dir`, 2);
  }
  const file = ["yaml", "yml"].map((ext) => `Pulumi.${stack}.${ext}`).find((f) => existsSync(path.join(projectDir, f)));
  if (file === undefined) {
    const known = stacksWithFiles(projectDir);
    const hint = known.length > 0 ? `; stacks with a file: ${known.join(", ")}${didYouMean(stack, known)}` : "";
    fail(`no Pulumi.${stack}.yaml in ${projectDir}${hint}`, 2);
  }
  // Outputs files named in the configuration are read from the project's folder, as `pulumi up` does.
  process.chdir(projectDir);
  // The project decides the namespace and the validator: s3guard, or the log-archive/ program.
  const project = /^name:\s*["']?([\w.-]+)/m.exec(readFileSync("Pulumi.yaml", "utf8"))?.[1];
  const namespace = project === "s3guard-log-archive" ? project : "s3guard";
  const result = checkStackFile(readFileSync(file, "utf8"), stack, namespace);
  if (result.problems.length > 0) {
    const count = `${result.problems.length} problem${result.problems.length === 1 ? "" : "s"}`;
    process.stderr.write(`${file}: ${count} in the ${namespace} configuration of stack "${stack}":\n`);
    for (const problem of result.problems) process.stderr.write(`  - ${problem.message}\n`);
    process.exit(1);
  }
  const notes = [
    result.encryptedValues > 0 ? `${result.encryptedValues} encrypted value${result.encryptedValues === 1 ? "" : "s"} checked for place only` : "",
    result.importsEnvironments ? "values from its ESC environments not seen" : "",
  ].filter((n) => n !== "");
  process.stdout.write(`${file}: the ${namespace} configuration of stack "${stack}" is valid${notes.length > 0 ? ` (${notes.join("; ")})` : ""}.\n`);
}

main();
