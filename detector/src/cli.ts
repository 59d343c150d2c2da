/**
 * The `s3guard` command: one entry per subcommand. Each command's module is loaded only when it
 * runs, so `scan` does not pay for the AWS SDK clients the service needs.
 */
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
    summary: "check that rules files load; report the first error",
    load: async () => import("./cli/validate").then((m) => ({ help: m.VALIDATE_HELP, run: m.validateCommand })),
  },
  test: {
    summary: "run rule fixtures and print pass/fail per rule",
    load: async () => import("./cli/test").then((m) => ({ help: m.TEST_HELP, run: m.testCommand })),
  },
  run: {
    summary: "run the Cloud Connector service on an SQS queue (configured by environment)",
    load: async () => import("./cli/run").then((m) => ({ help: m.RUN_HELP, run: m.runCommand })),
  },
};

function usage(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((c) => c.length));
  const lines = Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`);
  return `Usage: s3guard COMMAND [options]\n\nCommands:\n${lines.join("\n")}\n\nRun 's3guard COMMAND --help' for a command's options.`;
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === "-h" || name === "--help" || name === "help") {
    const topic = name === "help" ? rest[0] : undefined;
    const entry = topic ? COMMANDS[topic] : undefined;
    process.stdout.write((entry ? (await entry.load()).help : usage()) + "\n");
    return name === undefined ? 2 : 0;
  }
  const entry = COMMANDS[name];
  if (!entry) {
    process.stderr.write(`s3guard: unknown command '${name}'\n\n${usage()}\n`);
    return 2;
  }
  const cmd = await entry.load();
  try {
    return await cmd.run(rest);
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    if (err.code === "ERR_PARSE_ARGS_UNKNOWN_OPTION" || err.code === "ERR_PARSE_ARGS_INVALID_OPTION_VALUE") {
      process.stderr.write(`s3guard ${name}: ${err.message}\n\n${cmd.help}\n`);
      return 2;
    }
    throw e;
  }
}
