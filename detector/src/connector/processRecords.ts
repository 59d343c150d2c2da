import type { Alert } from "../engine";
import type { StatefulRuleset } from "../stateful";
import { errorText } from "../alerts/sink";

/** Where records came from, carried along for logs and for rule kinds that keep state. */
export interface RecordOrigin {
  messageId: string;
  bucket?: string;
  key?: string;
}

export interface RecordsOutcome {
  alerts: Alert[];
  evaluated: number;
  skipped: number;
  /** Records the engine could not evaluate, with why; the others still count. */
  errors: string[];
}

/** Records evaluated between yields to the event loop, so visibility heartbeats and /healthz keep running. */
const YIELD_EVERY = 2000;

const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Evaluates records with one ruleset. Every record of the service goes through here, so rule
 * kinds with shared state (thresholds across records) hook in at this one place.
 */
export async function processRecords(
  records: Iterable<Record<string, unknown>>,
  ruleset: StatefulRuleset,
  _origin: RecordOrigin,
  exact?: (i: number) => Record<string, unknown> | undefined,
): Promise<RecordsOutcome> {
  const out: RecordsOutcome = { alerts: [], evaluated: 0, skipped: 0, errors: [] };
  let n = 0;
  for (const record of records) {
    const index = n++;
    try {
      const { alerts, skipped } = await ruleset.evaluate(record, exact && (() => exact(index)));
      if (skipped) out.skipped++;
      else out.evaluated++;
      for (const a of alerts) out.alerts.push(a);
    } catch (e) {
      out.errors.push(`record ${n}${typeof record.eventID === "string" ? ` (eventID ${record.eventID})` : ""}: ${errorText(e)}`);
    }
    if (n % YIELD_EVERY === 0) await yieldToEventLoop();
  }
  return out;
}
