import type { ExactSource } from "../engine/event";
import { readLogBytes, readLogStream, unzipAhead, type ReadOptions } from "./logReader";
import type { RecordSink } from "./records";

/** A record of a log object, with the way to its numbers as written (see ExactSource). */
export interface ObjectRecord {
  record: Record<string, unknown>;
  exact?: ExactSource;
}

/** What reading a log object found, besides its records. */
export interface LogObjectRead {
  /** Records handed over. */
  records: number;
  /** Records that could not be used, with where they are; the others were handed over. */
  badRecords: string[];
  /**
   * Set when the object itself is damaged (truncated gzip, text that is not JSON, a broken
   * stream): the readable records were still handed over, and the message is not acknowledged,
   * so it is retried and ends in the dead-letter queue for someone to look at.
   */
  damage?: string;
  /**
   * Set when the object decompresses past the size limit: the records before the limit were
   * handed over; the rest is not read (see the connector's S3GUARD_MAX_LOG_BYTES).
   */
  tooLarge?: string;
}

export interface LogObjectOptions extends Omit<ReadOptions, "drain"> {
  /** Receives the records in batches as they are read; reading waits for each batch. */
  onRecords(batch: ObjectRecord[]): Promise<void>;
}

/**
 * Reads a log object in bounded memory: given whole (small objects, one native parse) or as a
 * stream (large ones, split record by record). CloudTrail writes one JSON document
 * (`{"Records":[...]}`): a record that is not an object is a bad record and the rest count; text
 * that does not parse is damage, and what is readable around it is salvaged.
 */
export async function readLogObject(body: Uint8Array | AsyncIterable<Uint8Array>, options: LogObjectOptions): Promise<LogObjectRead> {
  const out: LogObjectRead = { records: 0, badRecords: [] };
  const problems: string[] = [];
  let batch: ObjectRecord[] = [];
  const flush = async () => {
    if (batch.length === 0) return;
    const full = batch;
    batch = [];
    await options.onRecords(full);
  };
  const sink: RecordSink = {
    record(record, exact) {
      out.records++;
      batch.push({ record, exact });
    },
    error(message, where, kind) {
      const text = where ? `${where}: ${message}` : message;
      if (kind === "record") out.badRecords.push(text.replace(": record is not a JSON object", ": not a JSON object"));
      else problems.push(text);
    },
  };
  const readOptions: ReadOptions = { ...options, capPlain: true, drain: flush };
  // Gunzipped in the thread pool: meanwhile this thread evaluates the other objects in flight.
  const outcome = body instanceof Uint8Array ? await readLogBytes(body, sink, readOptions, await unzipAhead(body, readOptions)) : await readLogStream(body, sink, readOptions);
  await flush();
  const damage: string[] = [];
  if (outcome.damage) damage.push(outcome.damage);
  if (problems.length) damage.push(`not valid JSON: ${problems.slice(0, 3).join("; ")}${problems.length > 3 ? ` (and ${problems.length - 3} more)` : ""}`);
  if (outcome.empty || outcome.bytes === 0) damage.push("the object is empty");
  if (damage.length) out.damage = damage.join("; ");
  if (outcome.tooLarge) out.tooLarge = outcome.tooLarge;
  return out;
}
