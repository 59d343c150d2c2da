import { redact } from "../redact";

/**
 * Service logs: one JSON object per line on stderr (stdout carries the alerts of the stdout sink),
 * with the message id, object key and what to do wherever they apply. Every string of a line goes
 * through `redact`, so a destination's URL or key never reaches the logs, whoever logs it.
 */
export type LogLevel = "debug" | "info" | "warn" | "error";
export type LogFields = Record<string, unknown>;

export interface Logger {
  debug(msg: string, fields?: LogFields): void;
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
}

const ORDER: Record<LogLevel, number> = { debug: 0, info: 1, warn: 2, error: 3 };

export function jsonLogger(write: (line: string) => void = (l) => process.stderr.write(l), minimum: LogLevel = "info"): Logger {
  const emit = (level: LogLevel) => (msg: string, fields?: LogFields) => {
    if (ORDER[level] < ORDER[minimum]) return;
    write(JSON.stringify({ time: new Date().toISOString(), level, msg, ...fields }, (_k, v) => (typeof v === "bigint" ? v.toString() : typeof v === "string" ? redact(v) : v)) + "\n");
  };
  return { debug: emit("debug"), info: emit("info"), warn: emit("warn"), error: emit("error") };
}
