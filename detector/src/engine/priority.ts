import { PRIORITIES, Priority } from "./types";

/** Parses a priority as Falco does: case-insensitive, `info` for Informational. */
export function parsePriority(text: string): Priority | undefined {
  const lower = text.toLowerCase();
  if (lower === "info") return "Informational";
  return PRIORITIES.find((p) => p.toLowerCase() === lower);
}

/** Lower is more severe: Emergency is 0, Debug is 7. */
export function severity(p: Priority): number {
  return PRIORITIES.indexOf(p);
}

/** True when `p` is at least as severe as `minimum`. */
export function atLeast(p: Priority, minimum: Priority): boolean {
  return severity(p) <= severity(minimum);
}
