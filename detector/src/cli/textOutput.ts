import type { Alert, OutputValue, Priority } from "../engine";

/**
 * The `--format text` line for people: Falco's `<time>: <Priority> <message>`, with values that
 * run long shortened (an ACL or a policy is hundreds of characters of JSON), control characters
 * escaped (a user agent or an object key comes from whoever called AWS, and must not move the
 * cursor, clear the screen or forge a second alert line) and, on a terminal, the priority in colour.
 * JSON output is never touched: it is for programs and keeps every value whole.
 */

export interface TextOptions {
  /** Colour the priority (ANSI escapes); only for a terminal, see `colourWanted`. */
  colour: boolean;
  /** A value longer than this many characters is cut to it, saying how much was left out; 0 keeps values whole. */
  maxValueLength: number;
}

export const DEFAULT_MAX_VALUE_LENGTH = 120;

/**
 * Whether to colour a stream: never when NO_COLOR is set (no-color.org), always when FORCE_COLOR
 * is set to anything but 0/false, else only on a terminal that is not "dumb".
 */
export function colourWanted(stream: { isTTY?: boolean }, env: Record<string, string | undefined> = process.env): boolean {
  if (env.NO_COLOR) return false;
  const force = env.FORCE_COLOR;
  if (force !== undefined && force !== "") return force !== "0" && force.toLowerCase() !== "false";
  return !!stream.isTTY && env.TERM !== "dumb";
}

const RESET = "\x1b[0m";
const PRIORITY_COLOUR: Record<Priority, string> = {
  Emergency: "\x1b[1;97;41m",
  Alert: "\x1b[1;97;41m",
  Critical: "\x1b[1;31m",
  Error: "\x1b[31m",
  Warning: "\x1b[33m",
  Notice: "\x1b[36m",
  Informational: "\x1b[32m",
  Debug: "\x1b[2m",
};
const DIM = "\x1b[2m";

export function textLine(alert: Alert, options: TextOptions): string {
  if (!alert.output.endsWith(` ${alert.priority} ${alert.message}`)) return escapeControls(alert.output);
  let message = alert.message;
  if (options.maxValueLength > 0) {
    for (const value of Object.values(alert.outputFields)) {
      const text = renderedText(value);
      if (text !== undefined && text.length > options.maxValueLength) message = message.split(text).join(shorten(text, options.maxValueLength));
    }
  }
  // The engine wrote `<time>: <Priority> <message>`; the time is what precedes ": <Priority> ".
  const time = alert.output.slice(0, alert.output.length - alert.message.length - alert.priority.length - 3);
  message = escapeControls(message);
  if (!options.colour) return `${time}: ${alert.priority} ${message}`;
  return `${DIM}${time}:${RESET} ${PRIORITY_COLOUR[alert.priority]}${alert.priority}${RESET} ${message}`;
}

/** A value as the rule's output printed it (see the engine's renderValue), when it can be long. */
function renderedText(value: OutputValue): string | undefined {
  if (typeof value === "string") return value;
  if (Array.isArray(value)) return `(${value.join(",")})`;
  return undefined;
}

/** The start of `text`, then how many characters were left out: `{"Grant":[{…(+312 chars)`. */
export function shorten(text: string, max: number): string {
  if (text.length <= max) return text;
  // Never cut a surrogate pair in two: that would print a replacement character.
  let end = max;
  const code = text.charCodeAt(end - 1);
  if (code >= 0xd800 && code <= 0xdbff) end--;
  return `${text.slice(0, end)}…(+${text.length - end} chars)`;
}

/**
 * Control characters as visible escapes: C0 (newline, escape, bell...), DEL, C1 (0x80-0x9f, which
 * some terminals read as escapes too), and the invisible Unicode controls that reorder or break
 * lines (bidirectional overrides, line and paragraph separators).
 */
// eslint-disable-next-line no-control-regex
const CONTROLS = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]/g;

export function escapeControls(text: string): string {
  return text.replace(CONTROLS, (c) => {
    const code = c.charCodeAt(0);
    if (c === "\n") return "\\n";
    if (c === "\r") return "\\r";
    if (c === "\t") return "\\t";
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, "0")}` : `\\u${code.toString(16).padStart(4, "0")}`;
  });
}
