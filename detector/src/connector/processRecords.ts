import type { Alert } from "../engine";
import type { StatefulRuleset } from "../stateful";
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

/** Records evaluated together, between yields to the event loop (so visibility heartbeats and /healthz keep running). */
const BATCH = 2000;

const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

export function emptyOutcome(): RecordsOutcome {
  return { alerts: [], evaluated: 0, skipped: 0, errors: [], repeated: 0, eventIds: new Set() };
}

/**
 * Evaluates records with one ruleset, adding to `out` (a message's records may come in batches,
 * as a large object is read). Every record of the service goes through here, so rule kinds with
 * shared state (thresholds across records) hook in at this one place: they work on batches, reading
 * and writing their state once per group and batch. `first` numbers the batch's first record, for
 * messages about one of them. A failure of the state (the table) rejects: the message is retried.
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
  const todo: { r: ObjectRecord; number: number }[] = [];
  records.forEach((r, i) => {
    const id = seen ? eventIdOf(r.record) : undefined;
    if (id !== undefined) {
      if (seen!.has(id) || out.eventIds.has(id)) {
        out.repeated++;
        return;
      }
      out.eventIds.add(id);
    }
    todo.push({ r, number: first + i });
  });
  for (let from = 0; from < todo.length; from += BATCH) {
    const batch = todo.slice(from, from + BATCH);
    const evaluations = await ruleset.evaluateBatch(batch.map((x) => x.r));
    evaluations.forEach((e, i) => {
      const { r, number } = batch[i];
      const which = `record ${number}${typeof r.record.eventID === "string" ? ` (eventID ${r.record.eventID})` : ""}`;
      if (e.skipped) out.skipped++;
      else out.evaluated++;
      for (const a of e.alerts) out.alerts.push(a);
      for (const err of e.errors ?? []) out.errors.push(`${which}: ${err}`);
    });
    if (from + BATCH < todo.length) await yieldToEventLoop();
  }
  return out;
}
