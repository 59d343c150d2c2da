import { createReadStream, promises as fs, readFileSync } from "node:fs";
import * as path from "node:path";
import type { Readable } from "node:stream";
import type { ExactSource } from "../engine/event";
import { formatBytes, parseByteSize } from "./decode";
import { readLogBytes, readLogStream, unzipAhead, type ReadOptions, type ReadOutcome } from "./logReader";
import type { RecordSink } from "./records";

/**
 * Reads the scan's inputs: files, folders (walked recursively, in name order) and `-` for stdin.
 * An input is parsed whole when its decompressed text is small (native JSON parsing is fastest);
 * a larger one is streamed record by record so memory stays bounded. A gzip input that would
 * decompress past S3GUARD_MAX_LOG_BYTES (a gzip bomb) is read up to that size and refused beyond.
 */

export interface InputHandler {
  /** `n` counts the input's records from 1, to say which one a problem is about. */
  record(record: Record<string, unknown>, input: string, exact: ExactSource | undefined, n: number): void;
  /** A problem in an input; the rest of it, and the other inputs, are still read. */
  error(input: string, message: string, where?: string): void;
  /** Called every few hundred KiB of streamed text and after each input: resolve when the records given so far are dealt with. */
  drain?(): Promise<void>;
  inputDone?(input: string, records: number): void;
  /** Called once the inputs are listed, before any is read: how far the scan has come, in bytes. */
  planned?(plan: ScanPlan): void;
}

/** The scan's inputs by size on disk (compressed, as read), for a progress line. */
export interface ScanPlan {
  inputs: number;
  /** Their total size; undefined when one is stdin (its size is not known in advance). */
  bytes: number | undefined;
  /** Bytes read so far: whole inputs done plus how far into the current one. */
  bytesRead(): number;
}

export interface ScanInputsResult {
  inputs: number;
  /** Inputs with at least one problem. */
  unreadable: number;
}

/** Inputs whose decompressed text is larger than this are streamed instead of parsed whole. */
export const WHOLE_INPUT_LIMIT = 8 * 1024 * 1024;

/** What a gzip input may decompress to, by default (S3GUARD_MAX_LOG_BYTES overrides it). */
export const MAX_LOG_BYTES = 1024 ** 3;

/** Files read ahead of the one evaluated: with two, a gunzip the other core was slow to start still has a file's time to finish. */
const READ_AHEAD_FILES = 2;

/** How to read larger inputs, for the message about one that is too large. */
export const MAX_LOG_BYTES_HINT = "set S3GUARD_MAX_LOG_BYTES to a larger size";

/** S3GUARD_MAX_LOG_BYTES as bytes; throws with the fix when it is not a size. */
export function maxLogBytesFromEnv(env: Record<string, string | undefined> = process.env): number {
  const raw = env.S3GUARD_MAX_LOG_BYTES?.trim();
  if (!raw) return MAX_LOG_BYTES;
  const n = parseByteSize(raw);
  if (n === undefined) throw new Error(`S3GUARD_MAX_LOG_BYTES=${JSON.stringify(raw)}: must be a size in bytes, e.g. 1073741824, 512MiB or 2GiB (default ${formatBytes(MAX_LOG_BYTES)})`);
  return n;
}

export async function listInputs(args: readonly string[], onError: (input: string, message: string) => void): Promise<string[]> {
  const out: string[] = [];
  const walk = async (p: string): Promise<void> => {
    let entries;
    try {
      entries = await fs.readdir(p, { withFileTypes: true });
    } catch (e) {
      onError(p, (e as Error).message);
      return;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const e of entries) {
      if (e.name.startsWith(".")) continue;
      const child = path.join(p, e.name);
      const stat = e.isSymbolicLink() ? await fs.stat(child).catch(() => undefined) : e;
      if (stat?.isDirectory()) await walk(child);
      else if (stat?.isFile()) out.push(child);
    }
  };
  for (const arg of args) {
    if (arg === "-") {
      out.push("-");
      continue;
    }
    try {
      const stat = await fs.stat(arg);
      if (stat.isDirectory()) await walk(arg);
      else out.push(arg);
    } catch (e) {
      onError(arg, `cannot read: ${(e as NodeJS.ErrnoException).code === "ENOENT" ? "no such file or directory" : (e as Error).message}`);
    }
  }
  return out;
}

/**
 * Reads one input (a file, or `-` for stdin) into the sink; returns the problems of the input
 * itself (damage, too large, unreadable), each a message.
 */
export async function readInput(
  input: string,
  sink: RecordSink,
  readOptions: ReadOptions,
  stdin: Readable = process.stdin,
  /**
   * The file's size if known; `reading` is told how to ask how many bytes were read so far, and
   * `outcome` how reading ended (when the input could be opened).
   */
  file: { size?: number; reading?: (bytesRead: () => number) => void; outcome?: (outcome: ReadOutcome) => void; ahead?: Promise<ReadAhead> } = {},
): Promise<string[]> {
  try {
    let outcome: ReadOutcome;
    // readAhead never fails: a file it could not read has no `ahead` and is read here, which says why.
    const early = await file.ahead;
    if (input === "-") outcome = await readLogStream(stdin, sink, readOptions);
    else if (early) {
      const { bytes, unzipped } = early;
      file.reading?.(() => bytes.length);
      outcome = await readLogBytes(bytes, sink, readOptions, unzipped);
    }
    // A small file is read in one call.
    else if ((file.size ?? (await fs.stat(input)).size) <= readOptions.wholeBytes) {
      const bytes = readFileSync(input);
      file.reading?.(() => bytes.length);
      outcome = await readLogBytes(bytes, sink, readOptions);
    } else {
      const stream = createReadStream(input);
      file.reading?.(() => stream.bytesRead);
      outcome = await readLogStream(stream, sink, readOptions);
    }
    file.outcome?.(outcome);
    return [...(outcome.damage ? [outcome.damage] : []), ...(outcome.tooLarge ? [outcome.tooLarge] : [])];
  } catch (e) {
    return [`cannot read: ${(e as Error).message}`];
  }
}

/** A file read, and gunzipped when it parses whole, before its turn (see `readAhead`). */
export interface ReadAhead {
  bytes: Buffer;
  unzipped: Buffer | null | undefined;
}

/**
 * Reads and gunzips a small file in Node's thread pool while this thread evaluates the one before:
 * decompression is a tenth of a scan's time, and the second core does it. Only files read in one
 * call are read ahead (at most `wholeBytes` on disk and in text), a few at a time, so memory stays
 * bounded (READ_AHEAD_FILES). A file that cannot be read ahead is read again in its turn, which says why.
 */
export function readAhead(input: string, size: number | undefined, options: ReadOptions): Promise<ReadAhead> | undefined {
  if (input === "-" || size === undefined || size > options.wholeBytes) return undefined;
  let bytes: Buffer;
  try {
    // Read here, at once: an asynchronous read would wait, step by step, for this thread to be free.
    bytes = readFileSync(input);
  } catch {
    return undefined;
  }
  return unzipAhead(bytes, options).then((unzipped) => ({ bytes, unzipped }));
}

/** The inputs' sizes on disk, and their total when every one is known (not stdin). */
export async function inputSizes(inputs: readonly string[]): Promise<{ sizes: Map<string, number>; total: number | undefined }> {
  const sizes = new Map<string, number>();
  let total: number | undefined = 0;
  for (const input of inputs) {
    const size = input === "-" ? undefined : await fs.stat(input).then((s) => s.size, () => undefined);
    if (size === undefined) total = undefined;
    else {
      sizes.set(input, size);
      if (total !== undefined) total += size;
    }
  }
  return { sizes, total };
}

export interface ScanInputsOptions {
  stdin?: Readable;
  /** Inputs whose decompressed text is larger than this many bytes are streamed. Default WHOLE_INPUT_LIMIT. */
  wholeInputLimit?: number;
  /** The most a gzip input may decompress to. Default MAX_LOG_BYTES. */
  maxLogBytes?: number;
}

export async function scanInputs(args: readonly string[], handler: InputHandler, options: ScanInputsOptions = {}): Promise<ScanInputsResult> {
  const stdin = options.stdin ?? process.stdin;
  const wholeBytes = options.wholeInputLimit ?? WHOLE_INPUT_LIMIT;
  const failed = new Set<string>();
  const onError = (input: string, message: string, where?: string) => {
    failed.add(input);
    handler.error(input, message, where);
  };
  let missing = 0;
  const inputs = await listInputs(args, (input, message) => {
    missing++;
    onError(input, message);
  });
  const readOptions: ReadOptions = {
    wholeBytes,
    maxBytes: options.maxLogBytes ?? MAX_LOG_BYTES,
    raiseHint: MAX_LOG_BYTES_HINT,
    drain: handler.drain,
  };
  const { sizes, total } = await inputSizes(inputs);
  let bytesDone = 0;
  let current: () => number = () => 0;
  handler.planned?.({ inputs: inputs.length, bytes: total, bytesRead: () => bytesDone + current() });
  const ahead: (Promise<ReadAhead> | undefined)[] = [];
  const readNext = (k: number) => (ahead[k] = k < inputs.length ? readAhead(inputs[k], sizes.get(inputs[k]), readOptions) : undefined);
  for (let k = 0; k < READ_AHEAD_FILES; k++) readNext(k);
  for (let k = 0; k < inputs.length; k++) {
    const input = inputs[k];
    const early = ahead[k];
    delete ahead[k];
    readNext(k + READ_AHEAD_FILES);
    let records = 0;
    const sink: RecordSink = {
      record: (r, exact, n) => {
        records++;
        handler.record(r, input, exact, n);
      },
      error: (message, where) => onError(input, message, where),
    };
    const problems = await readInput(input, sink, readOptions, stdin, {
      size: sizes.get(input),
      reading: (bytesRead) => (current = bytesRead),
      ahead: early,
    });
    for (const problem of problems) onError(input, problem);
    // Evaluation may be asynchronous (stateful rules): finish one input before reading the next.
    await handler.drain?.();
    bytesDone += sizes.get(input) ?? 0;
    current = () => 0;
    handler.inputDone?.(input, records);
  }
  return { inputs: inputs.length + missing, unreadable: failed.size };
}
