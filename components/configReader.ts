import { ConfigProblem, makeProblem, ProblemCode } from "./configErrors";
import { ConfigSecrets, SecretText, UNKNOWN_SECRETS } from "./secretText";

/**
 * Small typed readers for untyped stack settings. Each reader checks one value, records a problem
 * naming the key path, the value and what is accepted, and returns a usable fallback so that
 * validation goes on and reports every problem at once.
 */

export type RawSection = Record<string, unknown>;

/**
 * Collects problems in the order they are found, and carries what readers need to know about the
 * configuration's secrets (`readSecret`).
 */
export class ProblemList {
  private readonly found: ConfigProblem[] = [];

  constructor(readonly secrets: ConfigSecrets = UNKNOWN_SECRETS) {}

  add(code: ProblemCode, path: string, value: unknown, wrong: string, accepted: string): void {
    this.found.push(makeProblem(code, path, this.hidesValuesOf(path) && !isPlainFact(value) ? SecretText.REDACTED : value, wrong, accepted));
  }

  /** Under a key set as a secret any text may be one (a misspelt key, say): problems do not show it. */
  private hidesValuesOf(path: string): boolean {
    return this.secrets.isSecret(topLevelKey(path)) === true;
  }

  /** A problem whose message already says what is wrong and how to fix it (e.g. from the detector's readers). */
  addMessage(code: ProblemCode, path: string, message: string): void {
    this.found.push({ code, path, value: undefined, message: `${path}: ${message}` });
  }

  get problems(): readonly ConfigProblem[] {
    return this.found;
  }
}

/** The top-level key of a key path: `s3guard:connector.outputs[0].url` -> `connector`. */
export function topLevelKey(path: string): string {
  return path.replace(/^[^:]*:/, "").split(/[.[]/)[0];
}

export function isRecord(value: unknown): value is RawSection {
  return typeof value === "object" && value !== null && !Array.isArray(value) && !(value instanceof SecretText);
}

/** Numbers, booleans and nothing say nothing secret. */
function isPlainFact(value: unknown): boolean {
  return value === undefined || value === null || typeof value === "number" || typeof value === "boolean";
}

/** Levenshtein distance, for "did you mean" hints on misspelt keys. */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = previous[j - 1] + (a[i - 1].toLowerCase() === b[j - 1].toLowerCase() ? 0 : 1);
      current.push(Math.min(previous[j] + 1, current[j - 1] + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length];
}

function suggestion(key: string, known: readonly string[]): string {
  const ranked = known
    .map((k) => ({ k, d: editDistance(key, k) }))
    .filter(({ d }) => d <= 2)
    .sort((x, y) => x.d - y.d);
  return ranked.length > 0 ? ` (did you mean "${ranked[0].k}"?)` : "";
}

/** Reports every key of `section` that is not in `known`: a typo must never be silently ignored. */
export function checkKeys(
  problems: ProblemList,
  path: string,
  section: RawSection,
  known: readonly string[],
  separator = ".",
): void {
  for (const [key, value] of Object.entries(section)) {
    if (!known.includes(key)) {
      problems.add(
        "UNKNOWN_KEY",
        `${path}${separator}${key}`,
        value,
        "unknown key",
        `accepted keys: ${known.join(", ")}${suggestion(key, known)}`,
      );
    }
  }
}

/**
 * Reads an optional mapping of settings. Absent means "all defaults" (`{}`); anything but a mapping
 * is a problem and yields `undefined` so the caller skips its keys.
 */
export function readSection(
  problems: ProblemList,
  path: string,
  value: unknown,
  known: readonly string[],
): RawSection | undefined {
  if (value === undefined || value === null) {
    return {};
  }
  if (!isRecord(value)) {
    problems.add("WRONG_TYPE", path, value, "not a mapping of keys to values", `use keys: ${known.join(", ")}`);
    return undefined;
  }
  checkKeys(problems, path, value, known);
  return value;
}

export function readBoolean(problems: ProblemList, path: string, value: unknown, fallback: boolean): boolean {
  if (value === undefined || value === null) {
    return fallback;
  }
  if (typeof value !== "boolean") {
    problems.add("WRONG_TYPE", path, value, "not a boolean", "use true or false");
    return fallback;
  }
  return value;
}

export function readInteger(
  problems: ProblemList,
  path: string,
  value: unknown,
  fallback: number,
  min: number,
  max: number,
): number {
  if (value === undefined || value === null) {
    return fallback;
  }
  const accepted = `use a whole number from ${min} to ${max}`;
  if (typeof value !== "number" || !Number.isInteger(value)) {
    problems.add("WRONG_TYPE", path, value, "not a whole number", accepted);
    return fallback;
  }
  if (value < min || value > max) {
    problems.add("OUT_OF_RANGE", path, value, "out of range", accepted);
    return fallback;
  }
  return value;
}

export function readChoice<T extends string>(
  problems: ProblemList,
  path: string,
  value: unknown,
  choices: readonly T[],
  fallback: T,
): T {
  if (value === undefined || value === null) {
    return fallback;
  }
  if (typeof value !== "string" || !(choices as readonly string[]).includes(value)) {
    problems.add("INVALID_CHOICE", path, value, "not an accepted value", `use one of ${choices.join(", ")}`);
    return fallback;
  }
  return value as T;
}

/** An optional string; absent and `""` both mean "not set". */
export function readOptionalString(
  problems: ProblemList,
  path: string,
  value: unknown,
  accepted: string,
): string | undefined {
  if (value === undefined || value === null || value === "") {
    return undefined;
  }
  if (typeof value !== "string") {
    problems.add("WRONG_TYPE", path, value, "not a string", accepted);
    return undefined;
  }
  return value;
}

/** An optional list of strings; absent means empty. Non-strings are reported one by one. */
export function readStringList(problems: ProblemList, path: string, value: unknown, accepted: string): string[] {
  if (value === undefined || value === null) {
    return [];
  }
  if (!Array.isArray(value)) {
    problems.add("WRONG_TYPE", path, value, "not a list", accepted);
    return [];
  }
  const strings: string[] = [];
  value.forEach((item, i) => {
    if (typeof item === "string") {
      strings.push(item);
    } else {
      problems.add("WRONG_TYPE", `${path}[${i}]`, item, "not a string", accepted);
    }
  });
  return strings;
}

/** Reports the second and later occurrences of each value in `values`. */
export function checkUnique(problems: ProblemList, path: string, values: readonly string[], what: string): void {
  const first = new Map<string, number>();
  values.forEach((v, i) => {
    const earlier = first.get(v);
    if (earlier === undefined) {
      first.set(v, i);
    } else {
      problems.add("DUPLICATE", `${path}[${i}]`, v, `duplicate ${what}, already at ${path}[${earlier}]`, `list each ${what} once`);
    }
  });
}
