import * as pulumi from "@pulumi/pulumi";
import { SecretText } from "./secretText";

/** Stable codes for configuration problems, so tests and tooling can match on them. */
export type ProblemCode =
  | "UNKNOWN_KEY"
  | "MISSING_KEY"
  | "WRONG_TYPE"
  | "INVALID_CHOICE"
  | "OUT_OF_RANGE"
  | "INVALID_NAME"
  | "INVALID_BUCKET_NAME"
  | "INVALID_PREFIX"
  | "INVALID_ARN"
  | "INVALID_ID"
  | "INVALID_URL"
  | "INVALID_TAG"
  | "INVALID_OUTPUT"
  | "NO_ACCESS"
  | "DUPLICATE"
  | "FEEDBACK_LOOP"
  | "SELECTOR_LIMIT"
  | "FARGATE_SIZE"
  | "REGION_MISMATCH"
  | "PLAINTEXT_SECRET"
  | "INVALID_SECRET"
  | "CONFLICT";

/** One thing wrong with the stack configuration. */
export interface ConfigProblem {
  readonly code: ProblemCode;
  /** Key path as written in stack YAML, e.g. `s3guard:watchedBuckets[1].wirte`. */
  readonly path: string;
  /** The offending value (`undefined` when the key is missing). */
  readonly value: unknown;
  /** `<path>: <what is wrong> (got <value>); <what is accepted>` */
  readonly message: string;
}

/** Renders a value the way it would read in YAML-ish prose, cut short if long. */
export function showValue(value: unknown): string {
  if (value === undefined) {
    return "nothing";
  }
  if (value instanceof SecretText) {
    return String(value);
  }
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

export function makeProblem(
  code: ProblemCode,
  path: string,
  value: unknown,
  wrong: string,
  accepted: string,
): ConfigProblem {
  return { code, path, value, message: `${path}: ${wrong} (got ${showValue(value)}); ${accepted}` };
}

/**
 * Every problem in a stack configuration, raised before any resource is declared. A `RunError`, so
 * Pulumi prints the message without a stack trace.
 */
export class ConfigError extends pulumi.RunError {
  readonly code = "S3GUARD_INVALID_CONFIG" as const;

  constructor(
    readonly problems: readonly ConfigProblem[],
    stack: string,
  ) {
    super(
      [
        `s3guard configuration of stack "${stack}" has ${problems.length} problem${problems.length === 1 ? "" : "s"}:`,
        ...problems.map((p) => `  - ${p.message}`),
        `Nothing was deployed. Fix Pulumi.${stack}.yaml (or run \`pulumi config set --path ...\`) and try again.`,
      ].join("\n"),
    );
    this.name = "ConfigError";
  }
}
