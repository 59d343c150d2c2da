/**
 * The `s3guard` command: one entry per subcommand. Each command's module is loaded only when it
 * runs, so `scan` does not pay for the AWS SDK clients the service needs.
 */
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { describeArgsError, usageError } from "./cli/usage";
import { didYouMean } from "./suggest";

interface Command {
  help: string;
  run(argv: string[]): Promise<number>;
}

const COMMANDS: Record<string, { summary: string; load(): Promise<Command> }> = {
  scan: {
    summary: "evaluate CloudTrail logs against rules and print alerts",
    load: async () => import("./cli/scan").then((m) => ({ help: m.SCAN_HELP, run: m.scanCommand })),
  },
  validate: {
    summary: "check that rules files load; report every error",
    load: async () => import("./cli/validate").then((m) => ({ help: m.VALIDATE_HELP, run: m.validateCommand })),
  },
  test: {
    summary: "run rule fixtures and print pass/fail per rule",
    load: async () => import("./cli/test").then((m) => ({ help: m.TEST_HELP, run: m.testCommand })),
  },
  fields: {
    summary: "list every field rules can use, with its type and description",
    load: async () => import("./cli/fields").then((m) => ({ help: m.FIELDS_HELP, run: m.fieldsCommand })),
  },
  run: {
    summary: "run the Cloud Connector service on an SQS queue (configured by environment)",
    load: async () => import("./cli/run").then((m) => ({ help: m.RUN_HELP, run: m.runCommand })),
  },
};

function usage(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((c) => c.length));
  const lines = Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`);
  return `Usage: s3guard COMMAND [options]
       s3guard --version

Commands:
${lines.join("\n")}

Run 's3guard COMMAND --help' for a command's options and exit statuses.

Exit status (every command): 0 success; 1 the work was done but something failed (named on
stderr); 2 usage error, or nothing could be done (rules that do not load, no record evaluated);
3 scan --fail-on: an alert at or above the given priority was raised; 130 scan interrupted by
Ctrl-C (the summary of what was read is printed).`;
}

/** The package's version, from the package.json installed beside dist/. */
export function version(): string {
  return (JSON.parse(readFileSync(path.join(__dirname, "..", "package.json"), "utf8")) as { version: string }).version;
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === "--version" || name === "-V") {
    process.stdout.write(`s3guard ${version()}\n`);
    return 0;
  }
  if (name === undefined || name === "-h" || name === "--help" || name === "help") {
    const topic = name === "help" ? rest[0] : undefined;
    const entry = topic ? COMMANDS[topic] : undefined;
    if (topic && !entry) return unknownCommand(topic);
    process.stdout.write((entry ? (await entry.load()).help : usage()) + "\n");
    return name === undefined ? 2 : 0;
  }
  const entry = COMMANDS[name];
  if (!entry) return unknownCommand(name);
  const cmd = await entry.load();
  try {
    return await cmd.run(rest);
  } catch (e) {
    const problem = describeArgsError(e as NodeJS.ErrnoException, cmd.help);
    if (problem !== undefined) return usageError(name, problem);
    throw e;
  }
}

function unknownCommand(name: string): number {
  const what = name.startsWith("-") ? "option" : "command";
  const hint = didYouMean(name, [...Object.keys(COMMANDS), "--version", "--help"]);
  process.stderr.write(`s3guard: unknown ${what} '${name}'${hint}; the commands are ${Object.keys(COMMANDS).join(", ")}\nRun 's3guard --help' for the usage.\n`);
  return 2;
}
