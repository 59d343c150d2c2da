import type { Alert } from "../engine";
import type { StatefulRuleset } from "../stateful";
import type { ObjectRecord } from "../ingest/logObject";

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
}

/** Records evaluated together, between yields to the event loop (so visibility heartbeats and /healthz keep running). */
const BATCH = 2000;

const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

export function emptyOutcome(): RecordsOutcome {
  return { alerts: [], evaluated: 0, skipped: 0, errors: [] };
}

/**
 * Evaluates records with one ruleset, adding to `out` (a message's records may come in batches,
 * as a large object is read). Every record of the service goes through here, so rule kinds with
 * shared state (thresholds across records) hook in at this one place: they work on batches, reading
 * and writing their state once per group and batch. `first` numbers the batch's first record, for
 * messages about one of them. A failure of the state (the table) rejects: the message is retried.
 */
export async function processRecords(records: readonly ObjectRecord[], ruleset: StatefulRuleset, out: RecordsOutcome = emptyOutcome(), first = 1): Promise<RecordsOutcome> {
  for (let from = 0; from < records.length; from += BATCH) {
    const batch = records.slice(from, from + BATCH);
    const evaluations = await ruleset.evaluateBatch(batch);
    evaluations.forEach((e, i) => {
      const { record } = batch[i];
      const which = `record ${first + from + i}${typeof record.eventID === "string" ? ` (eventID ${record.eventID})` : ""}`;
      if (e.skipped) out.skipped++;
      else out.evaluated++;
      for (const a of e.alerts) out.alerts.push(a);
      for (const err of e.errors ?? []) out.errors.push(`${which}: ${err}`);
    });
    if (from + BATCH < records.length) await yieldToEventLoop();
  }
  return out;
}
