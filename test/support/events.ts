import { readFileSync } from "node:fs";
import * as path from "node:path";
import { parseJsonExact } from "../../detector/src/engine";

/**
 * The base events E1–E6 of shared/spec/README.md (written for this project), read so that numbers
 * keep their text (E4's bytesTransferredOut is 2048.0).
 */
const text = readFileSync(path.join(__dirname, "..", "fixtures", "base-events.json"), "utf8");

/** A fresh copy of a base event (parsed anew, so tests may change it). */
export function baseEvent(id: "E1" | "E2" | "E3" | "E4" | "E5" | "E6"): Record<string, unknown> {
  return (parseJsonExact(text) as Record<string, { event: Record<string, unknown> }>)[id].event;
}
