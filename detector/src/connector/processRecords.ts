import type { Alert } from "../engine";
import type { StatefulRuleset } from "../stateful";
import { errorText } from "../alerts/sink";
import type { ObjectRecord } from "../ingest/logObject";
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
  /** Records the engine could not (fully) evaluate, with why; the others still count. */
  errors: string[];
  /** Records not evaluated because their eventID already was (delivered before, or earlier in this message). */
  repeated: number;
  /** Event ids of the records evaluated: added to the seen events once their alerts are delivered. */
  eventIds: Set<string>;
}

/** Records evaluated between yields to the event loop, so visibility heartbeats and /healthz keep running. */
const YIELD_EVERY = 2000;

const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

export function emptyOutcome(): RecordsOutcome {
  return { alerts: [], evaluated: 0, skipped: 0, errors: [], repeated: 0, eventIds: new Set() };
}

/**
 * Evaluates records with one ruleset, adding to `out` (a message's records may come in batches,
 * as a large object is read). Every record of the service goes through here, so rule kinds with
 * shared state (thresholds across records) hook in at this one place. `first` numbers the
 * batch's first record, for messages about one of them.
 *
 * A record whose eventID is in `seen` was evaluated and its alerts delivered already (another
 * trail, a log file delivered twice), as is one met earlier in this message: it is not evaluated
 * again. The caller adds `out.eventIds` to `seen` once the alerts are delivered, so a message that
 * comes back because delivery failed is evaluated again and nothing is lost.
 */
export async function processRecords(
  records: readonly ObjectRecord[],
  ruleset: StatefulRuleset,
  out: RecordsOutcome = emptyOutcome(),
  first = 1,
  seen?: SeenEvents,
): Promise<RecordsOutcome> {
  let n = 0;
  for (const { record, exact } of records) {
    const number = first + n++;
    const id = seen ? eventIdOf(record) : undefined;
    if (id !== undefined) {
      if (seen!.has(id) || out.eventIds.has(id)) {
        out.repeated++;
        continue;
      }
      out.eventIds.add(id);
    }
    const which = () => `record ${number}${typeof record.eventID === "string" ? ` (eventID ${record.eventID})` : ""}`;
    try {
      const { alerts, skipped, errors } = await ruleset.evaluate(record, exact);
      if (skipped) out.skipped++;
      else out.evaluated++;
      for (const a of alerts) out.alerts.push(a);
      for (const e of errors ?? []) out.errors.push(`${which()}: ${e}`);
    } catch (e) {
      out.errors.push(`${which()}: ${errorText(e)}`);
    }
    if (n % YIELD_EVERY === 0) await yieldToEventLoop();
  }
  return out;
}
