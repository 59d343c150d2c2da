import type { Alert } from "../engine";
import type { StatefulRuleset } from "../stateful";
import { errorText } from "../alerts/sink";
import { eventIdOf, type SeenEvents } from "../ingest/seenEvents";

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
  /** Records not evaluated because their eventID already was, and its alerts delivered. */
  repeated: number;
  /** Event ids of the records evaluated: remembered once their alerts are delivered. */
  eventIds: string[];
}

/** Records evaluated between yields to the event loop, so visibility heartbeats and /healthz keep running. */
const YIELD_EVERY = 2000;

const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Evaluates records with one ruleset. Every record of the service goes through here, so rule
 * kinds with shared state (thresholds across records) hook in at this one place. A record whose
 * eventID is in `seen` was evaluated and its alerts delivered already (another trail, a log file
 * delivered twice): it is not evaluated again. The caller adds `eventIds` to `seen` once this
 * batch's alerts are delivered, so a message that comes back because delivery failed is
 * evaluated again and nothing is lost.
 */
export async function processRecords(
  records: Iterable<Record<string, unknown>>,
  ruleset: StatefulRuleset,
  _origin: RecordOrigin,
  exact?: (i: number) => Record<string, unknown> | undefined,
  seen?: SeenEvents,
): Promise<RecordsOutcome> {
  const out: RecordsOutcome = { alerts: [], evaluated: 0, skipped: 0, errors: [], repeated: 0, eventIds: [] };
  const inBatch = new Set<string>();
  let n = 0;
  for (const record of records) {
    const index = n++;
    const id = seen ? eventIdOf(record) : undefined;
    if (id !== undefined) {
      if (seen!.has(id) || inBatch.has(id)) {
        out.repeated++;
        continue;
      }
      inBatch.add(id);
      out.eventIds.push(id);
    }
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
