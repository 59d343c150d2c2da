/**
 * Limits that keep loading any rules, and evaluating what they load, bounded in time and memory:
 * a rules file is data an operator may get wrong (or an attacker may upload), and the service
 * must stay up whatever it says. Each limit is far above what real rule sets use (Falco's own
 * CloudTrail rules and the bundled ones use a small fraction of each), and an error that hits one
 * says which, with the figure, and how to stay under it.
 */
export const RULES_LIMITS = {
  /** Bytes of one rules file. */
  fileBytes: 8 * 1024 * 1024,
  /** Bytes of all the rules files of one load. */
  totalBytes: 32 * 1024 * 1024,
  /** Rules files in one load (each file recompiles what came before it, as in Falco). */
  files: 256,
  /** YAML nodes of one file once its aliases are expanded (an alias copies what it names). */
  yamlNodes: 5_000_000,
  /** Characters of one condition, once exceptions and lists are written into it. */
  conditionChars: 4 * 1024 * 1024,
  /** Checks (and/or/not and comparisons) of one condition once its macros are expanded. */
  conditionChecks: 100_000,
  /** Checks of all the rules together. */
  totalChecks: 2_000_000,
  /** Items of all the lists together, once lists named in lists are expanded. */
  listItems: 1_000_000,
  /** RE2 program instructions (estimated) of all the distinct `regex` patterns together. */
  regexProgram: 1_000_000,
} as const;

/** A limit was exceeded; the loader turns it into a LOAD_ERR_LIMIT error where it happened. */
export class LimitError extends Error {
  constructor(
    message: string,
    /** Where in the condition, when known. */
    readonly offset = 0,
  ) {
    super(message);
  }
}

export function formatSize(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MiB` : bytes >= 1024 ? `${(bytes / 1024).toFixed(1)} KiB` : `${bytes} bytes`;
}

export function conditionTooLong(chars: number): LimitError {
  return new LimitError(
    `condition too long: ${chars} characters once its exceptions and lists are written in, more than the ${RULES_LIMITS.conditionChars} allowed; ` +
      "use fewer or shorter lists (a list named many times is copied each time), or split the rule",
  );
}
