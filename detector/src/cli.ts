import { runCommand, RUN_HELP } from "./cli/run";
import { scanCommand, SCAN_HELP } from "./cli/scan";
import { testCommand, TEST_HELP } from "./cli/test";
import { validateCommand, VALIDATE_HELP } from "./cli/validate";

/** The `detector` command: one entry per subcommand, each with its own help. */
interface Command {
  summary: string;
  help: string;
  run(argv: string[]): Promise<number>;
}

const COMMANDS: Record<string, Command> = {
  scan: { summary: "evaluate CloudTrail logs against rules and print alerts", help: SCAN_HELP, run: scanCommand },
  validate: { summary: "check that rules files load; report the first error", help: VALIDATE_HELP, run: validateCommand },
  run: { summary: "run the Cloud Connector service on an SQS queue (configured by environment)", help: RUN_HELP, run: runCommand },
  test: { summary: "run rule fixtures and print pass/fail per rule", help: TEST_HELP, run: testCommand },
};

function usage(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((c) => c.length));
  const lines = Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`);
  return `Usage: detector COMMAND [options]\n\nCommands:\n${lines.join("\n")}\n\nRun 'detector COMMAND --help' for a command's options.`;
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === "-h" || name === "--help" || name === "help") {
    const topic = name === "help" ? rest[0] : undefined;
    const cmd = topic ? COMMANDS[topic] : undefined;
    process.stdout.write((cmd ? cmd.help : usage()) + "\n");
    return name === undefined ? 2 : 0;
  }
  const cmd = COMMANDS[name];
  if (!cmd) {
    process.stderr.write(`detector: unknown command '${name}'\n\n${usage()}\n`);
    return 2;
  }
  try {
    return await cmd.run(rest);
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    if (err.code === "ERR_PARSE_ARGS_UNKNOWN_OPTION" || err.code === "ERR_PARSE_ARGS_INVALID_OPTION_VALUE") {
      process.stderr.write(`detector ${name}: ${err.message}\n\n${cmd.help}\n`);
      return 2;
    }
    throw e;
  }
}
