import { didYouMean } from "../suggest";

/**
 * Usage errors are one short line saying what is wrong and how to fix it, then where the options
 * are described: the whole help text would bury the line that matters.
 */
export function usageError(command: string, message: string): number {
  process.stderr.write(`s3guard ${command}: ${message}\nRun 's3guard ${command} --help' for its options.\n`);
  return 2;
}

/** The long options a help text lists (`--rules PATH` ...), to suggest one for a misspelt option. */
export function optionsIn(help: string): string[] {
  return [...new Set(help.match(/--[a-z][a-z0-9-]*/g) ?? [])];
}

/** node:util parseArgs errors in a few words, with the option it probably meant. */
export function describeArgsError(err: NodeJS.ErrnoException, help: string): string | undefined {
  if (err.code === "ERR_PARSE_ARGS_UNKNOWN_OPTION") {
    const option = /'([^']+)'/.exec(err.message)?.[1] ?? "";
    const known = [...optionsIn(help), "--help"];
    const hint = option.startsWith("--") ? didYouMean(option, known) : "";
    return `unknown option '${option}'${hint}`;
  }
  if (err.code === "ERR_PARSE_ARGS_INVALID_OPTION_VALUE") return err.message.replace(/\.$/, "");
  if (err.code === "ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL") return err.message.replace(/\.$/, "");
  return undefined;
}
