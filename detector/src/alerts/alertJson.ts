import { falcoJson, type Alert } from "../engine";
import { truncateUtf8, utf8Bytes } from "./batches";

/**
 * Falco's JSON alert within `maxBytes`. Alerts are small unless a rule prints a huge field; then
 * the output fields are dropped and the output is cut, and `"truncated":true` says so, keeping
 * the rule, priority, time and id-bearing fields a reader needs to find the record.
 */
export function alertJsonWithin(alert: Alert, maxBytes: number): string {
  const full = falcoJson(alert);
  if (utf8Bytes(full) <= maxBytes) return full;
  const shell = (output: string) => falcoJson({ ...alert, output, outputFields: {} }).replace(/}$/, `,"truncated":true}`);
  const fixed = utf8Bytes(shell(""));
  if (fixed > maxBytes) throw new Error(`alert ${alert.id} (rule ${alert.rule}) cannot fit in ${maxBytes} bytes`);
  // JSON escaping can grow the text up to 6x (\u00XX), so cut, measure and shrink until it fits.
  let budget = maxBytes - fixed;
  for (;;) {
    const text = shell(truncateUtf8(alert.output, budget));
    const over = utf8Bytes(text) - maxBytes;
    if (over <= 0) return text;
    budget -= Math.max(over, 1);
  }
}
