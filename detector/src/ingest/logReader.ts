import { Readable, pipeline } from "node:stream";
import { StringDecoder } from "node:string_decoder";
import { promisify } from "node:util";
import { createGunzip, gunzip, gunzipSync, type InputType, type ZlibOptions } from "node:zlib";
import { formatBytes, gzipTrailerSize, isGzip, textOf, withoutBom } from "./decode";
import { parseLogText, recordSplitter, type RecordSink } from "./records";

/**
 * Reads one log input (a file, stdin, an S3 object) into records, in bounded memory whatever its
 * size. Up to `wholeBytes` of decompressed text it is parsed in one native JSON.parse (fastest);
 * beyond, it is gunzipped and split record by record as it arrives. Past `maxBytes` decompressed
 * (a gzip bomb, a runaway object) reading stops with a clear error, and the records before the
 * limit are kept; so are the records before any other fault (a damaged gzip, a broken stream).
 */

export interface ReadOptions {
  /** Inputs whose decompressed text is at most this long are parsed whole. */
  wholeBytes: number;
  /** The largest decompressed size read; undefined: no limit. */
  maxBytes?: number;
  /** Whether `maxBytes` applies to plain (not gzip) input too; otherwise only to what gunzip produces. */
  capPlain?: boolean;
  /** How to raise `maxBytes`, for the error message (`set S3GUARD_MAX_LOG_BYTES`). */
  raiseHint?: string;
  /** Called every few hundred KiB of streamed text: resolve when the records given so far are dealt with. */
  drain?: () => Promise<void>;
  /**
   * Read the input only if it parses whole (at most `wholeBytes` of text); a longer one is left
   * unread, with `notWhole` set (a worker thread leaves those to be streamed where memory is bounded).
   */
  wholeOnly?: boolean;
  /** Return the text of an input parsed whole (see ReadOutcome.text). */
  keepText?: boolean;
}

/** How reading ended. Problems with single records went to the sink; these are about the input. */
export interface ReadOutcome {
  /** Decompressed bytes read. */
  bytes: number;
  /** Nothing but blanks (or nothing at all) was read. */
  empty?: boolean;
  /** The input itself is damaged (gzip fault, broken stream); the records before the fault were given. */
  damage?: string;
  /** Reading stopped at `maxBytes`; the records before the limit were given. */
  tooLarge?: string;
  /** `wholeOnly` was asked and the input is longer than `wholeBytes` (or a damaged gzip): nothing was read. */
  notWhole?: true;
  /** With `keepText`: the text parsed whole, to find its records again later without holding them. */
  text?: string;
}

/**
 * Streamed text between two drains. A drain per gunzip chunk (16 KiB, some twenty records) made
 * stateful evaluation pay its per-batch cost every few records: scans took twice as long.
 */
const DRAIN_BYTES = 256 * 1024;

const chunkOf = (c: Uint8Array | string): Buffer => (typeof c === "string" ? Buffer.from(c) : Buffer.isBuffer(c) ? c : Buffer.from(c.buffer, c.byteOffset, c.byteLength));

function limitFor(gzip: boolean, options: ReadOptions): number | undefined {
  return gzip || options.capPlain ? options.maxBytes : undefined;
}

const gunzipAsync = promisify(gunzip) as (bytes: InputType, options: ZlibOptions) => Promise<Buffer>;

/** The longest text parsed whole: the whole-parse size, or the decompression limit when it is lower. */
function wholeFor(gzip: boolean, options: ReadOptions): number {
  return Math.min(options.wholeBytes, limitFor(gzip, options) ?? Infinity);
}

/** Whether a gzip input would be gunzipped in one go: its trailer says its text parses whole. */
function unzipsWhole(bytes: Uint8Array, options: ReadOptions): boolean {
  return isGzip(bytes) && gzipTrailerSize(bytes) <= wholeFor(true, options);
}

/**
 * Gunzips, in Node's thread pool, a gzip input that `readLogBytes` would gunzip in one go, so that
 * the next input is decompressed while this thread evaluates the current one. Undefined: nothing
 * to do ahead (not gzip, or streamed); null: gunzip failed (damaged, or longer than its trailer
 * said), and `readLogBytes` streams it to say why.
 */
export async function unzipAhead(bytes: Uint8Array, options: ReadOptions): Promise<Buffer | null | undefined> {
  if (!unzipsWhole(bytes, options)) return undefined;
  try {
    // Stops at the whole-parse size, so a bomb costs at most that much before streaming takes over.
    // One output chunk of the size the trailer says: gunzip then runs as one job of the pool,
    // where 16 KiB chunks would each wait for this thread (busy evaluating) to ask for the next.
    const whole = Math.max(1, wholeFor(true, options));
    return await gunzipAsync(bytes, { maxOutputLength: whole, chunkSize: Math.max(64 * 1024, gzipTrailerSize(bytes) + 1) });
  } catch {
    return null;
  }
}

/**
 * Reads an input held in memory: small ones parse whole at once, the others stream from memory.
 * `unzipped` is what `unzipAhead` gave for these bytes, when it was asked.
 */
export async function readLogBytes(bytes: Uint8Array, sink: RecordSink, options: ReadOptions, unzipped?: Buffer | null): Promise<ReadOutcome> {
  const gzip = isGzip(bytes);
  const whole = wholeFor(gzip, options);
  if (!gzip && bytes.length <= whole) return readWhole(textOf(chunkOf(bytes)), bytes.length, sink, options);
  // The trailer tells a long text without gunzipping it: then it streams at once.
  if (unzipsWhole(bytes, options)) {
    let text = unzipped;
    if (text === undefined) {
      try {
        text = gunzipSync(bytes, { maxOutputLength: Math.max(1, whole) });
      } catch {
        // larger than the whole-parse size, or damaged: the streaming path reads it and says which
      }
    }
    if (text) return readWhole(textOf(text), text.length, sink, options);
  }
  if (options.wholeOnly) return { bytes: 0, notWhole: true };
  return readLogStream([bytes], sink, options);
}

function readWhole(text: string, bytes: number, sink: RecordSink, options: ReadOptions): ReadOutcome {
  const body = withoutBom(text);
  parseLogText(body, sink);
  const outcome: ReadOutcome = body.trim() === "" ? { bytes, empty: true } : { bytes };
  if (options.keepText) outcome.text = body;
  return outcome;
}

/** Gunzips a stream of chunks; the returned stream fails with the gunzip's or the source's error. */
function gunzipped(source: AsyncIterable<Buffer>): AsyncIterable<Buffer> {
  return pipeline(Readable.from(source, { objectMode: false }), createGunzip(), () => undefined);
}

/** Reads an input as a stream of byte chunks. */
export async function readLogStream(chunks: AsyncIterable<Uint8Array | string> | Iterable<Uint8Array | string>, sink: RecordSink, options: ReadOptions): Promise<ReadOutcome> {
  const iterator = (Symbol.asyncIterator in chunks ? chunks[Symbol.asyncIterator]() : (chunks as Iterable<Uint8Array | string>)[Symbol.iterator]()) as AsyncIterator<Uint8Array | string>;
  // Two bytes tell gzip from text.
  const head: Buffer[] = [];
  let headLength = 0;
  let ended = false;
  let damage: string | undefined;
  try {
    while (headLength < 2) {
      const next = await iterator.next();
      if (next.done) {
        ended = true;
        break;
      }
      const b = chunkOf(next.value);
      head.push(b);
      headLength += b.length;
    }
  } catch (e) {
    damage = `read: ${(e as Error).message}`;
    ended = true;
  }
  const first = Buffer.concat(head);
  const raw = (async function* () {
    try {
      if (first.length) yield first;
      while (!ended) {
        const next = await iterator.next();
        if (next.done) {
          ended = true;
          return;
        }
        yield chunkOf(next.value);
      }
    } finally {
      // Stopped early (the size limit): let the source close its file or connection.
      if (!ended) await iterator.return?.();
    }
  })();
  const gzip = isGzip(first);
  const source = gzip ? gunzipped(raw) : raw;
  const limit = limitFor(gzip, options);
  const whole = wholeFor(gzip, options);

  let bytes = 0;
  /** Text given to the splitter since the last drain. */
  let undrained = 0;
  let tooLarge: string | undefined;
  const buffered: Buffer[] = [];
  let splitter: ReturnType<typeof recordSplitter> | undefined;
  const decoder = new StringDecoder("utf8");
  let started = false;
  const text = (b: Buffer): string => {
    const s = decoder.write(b);
    if (started) return s;
    started = s.length > 0;
    return withoutBom(s);
  };
  try {
    for await (const c of source) {
      let chunk = c;
      if (limit !== undefined && bytes + chunk.length > limit) {
        chunk = chunk.subarray(0, limit - bytes);
        tooLarge = `larger than ${formatBytes(limit)}${gzip ? " once gunzipped" : ""}: reading stopped there and the records before the limit were read; the rest of the input is not evaluated${options.raiseHint ? ` (if it is genuine, ${options.raiseHint})` : ""}`;
      }
      bytes += chunk.length;
      if (!splitter) {
        buffered.push(chunk);
        if (bytes <= whole && !tooLarge) continue;
        if (options.wholeOnly) return { bytes: 0, notWhole: true };
        splitter = recordSplitter(sink);
        // With drains between: split at once, the buffered text would make one batch of tens of
        // thousands of records, whose size V8 then lets the heap grow to a multiple of.
        for (let b = buffered.shift(); b; b = buffered.shift()) {
          splitter.push(text(b));
          undrained += b.length;
          if (undrained >= DRAIN_BYTES) {
            undrained = 0;
            await options.drain?.();
          }
        }
      } else {
        splitter.push(text(chunk));
        undrained += chunk.length;
      }
      if (undrained >= DRAIN_BYTES || tooLarge) {
        undrained = 0;
        await options.drain?.();
      }
      if (tooLarge) break;
    }
  } catch (e) {
    const err = e as Error & { code?: string };
    damage ??= err.code?.startsWith("Z_") ? `gzip: ${err.message}` : `read: ${err.message}`;
  }
  const cut = damage !== undefined || tooLarge !== undefined;
  if (splitter) {
    splitter.push(decoder.end());
    // A cut input ends mid-record by nature: the cause is reported below, not a "truncated" value.
    if (!cut) splitter.end();
  } else {
    const all = text(Buffer.concat(buffered)) + decoder.end();
    if (!cut) return readWhole(all, bytes, sink, options);
    recordSplitter(sink).push(all);
  }
  if (damage) damage += ` (after ${formatBytes(bytes)} of ${gzip ? "decompressed " : ""}text)`;
  return { bytes, ...(damage ? { damage } : {}), ...(tooLarge ? { tooLarge } : {}) };
}
