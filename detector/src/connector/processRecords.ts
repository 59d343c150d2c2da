import type { Alert } from "../engine";
import type { StatefulRuleset } from "../stateful";

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

/** Records evaluated together, between yields to the event loop (so visibility heartbeats and /healthz keep running). */
const BATCH = 2000;

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
  const list = [...records];
  // In batches: stateful rules read and write their state once per group and batch.
  for (let from = 0; from < list.length; from += BATCH) {
    const batch = list.slice(from, from + BATCH);
    const evaluations = await ruleset.evaluateBatch(batch.map((record, i) => ({ record, exact: exact && (() => exact(from + i)) })));
    evaluations.forEach((e, i) => {
      const record = batch[i];
      if (e.error !== undefined) out.errors.push(`record ${from + i + 1}${typeof record.eventID === "string" ? ` (eventID ${record.eventID})` : ""}: ${e.error}`);
      else if (e.skipped) out.skipped++;
      else out.evaluated++;
      for (const a of e.alerts) out.alerts.push(a);
    });
    await yieldToEventLoop();
  }
  return out;
}
