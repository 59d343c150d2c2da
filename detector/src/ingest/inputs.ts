import { createReadStream, promises as fs, readFileSync } from "node:fs";
import * as path from "node:path";
import { StringDecoder } from "node:string_decoder";
import { createGunzip } from "node:zlib";
import type { Readable } from "node:stream";
import { decodeLogBytes, isGzip } from "./decode";
import type { ExactSource } from "../engine/event";
import { parseLogText, recordSplitter, RecordSink } from "./records";

/**
 * Reads the scan's inputs: files, folders (walked recursively, in name order) and `-` for stdin.
 * An input is parsed whole when it is small (native JSON parsing is fastest); a larger one, or
 * stdin past that size, is streamed record by record so memory stays bounded.
 */

export interface InputHandler {
  record(record: Record<string, unknown>, input: string, exact?: ExactSource): void;
  /** A problem in an input; the rest of it, and the other inputs, are still read. */
  error(input: string, message: string, where?: string): void;
  /** Called between streamed chunks and after each input: resolve when the records given so far are dealt with. */
  drain?(): Promise<void>;
  inputDone?(input: string, records: number): void;
}

export interface ScanInputsResult {
  inputs: number;
  /** Inputs with at least one problem. */
  unreadable: number;
}

/** Inputs larger than this are streamed instead of parsed whole. */
export const WHOLE_INPUT_LIMIT = 64 * 1024 * 1024;

async function listInputs(args: readonly string[], onError: (input: string, message: string) => void): Promise<string[]> {
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

export interface ScanInputsOptions {
  stdin?: Readable;
  /** Inputs larger than this many bytes are streamed. Default WHOLE_INPUT_LIMIT. */
  wholeInputLimit?: number;
}

export async function scanInputs(args: readonly string[], handler: InputHandler, options: ScanInputsOptions = {}): Promise<ScanInputsResult> {
  const stdin = options.stdin ?? process.stdin;
  const limit = options.wholeInputLimit ?? WHOLE_INPUT_LIMIT;
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
  for (const input of inputs) {
    let records = 0;
    const sink: RecordSink = {
      record: (r, exact) => {
        records++;
        handler.record(r, input, exact);
      },
      error: (message, where) => onError(input, message, where),
    };
    try {
      if (input === "-") await readStream(stdin, sink, handler, limit);
      else {
        const size = (await fs.stat(input)).size;
        if (size > limit) await readStream(createReadStream(input), sink, handler, limit);
        // A small file is read in one call: sequential scanning gains nothing from the thread pool.
        else readWhole(readFileSync(input), sink);
      }
    } catch (e) {
      onError(input, `cannot read: ${(e as Error).message}`);
    }
    // Evaluation may be asynchronous (stateful rules): finish one input before reading the next.
    await handler.drain?.();
    handler.inputDone?.(input, records);
  }
  return { inputs: inputs.length + missing, unreadable: failed.size };
}

function readWhole(bytes: Uint8Array, sink: RecordSink): void {
  const decoded = decodeLogBytes(bytes);
  parseLogText(decoded.text, sink);
  if (decoded.error) sink.error(decoded.error);
}

/**
 * Streams an input: the first bytes tell whether it is gzip; up to the whole-input limit it is
 * buffered and parsed whole, past it the text goes through the record splitter chunk by chunk.
 */
async function readStream(stream: Readable, sink: RecordSink, handler: InputHandler, limit: number): Promise<void> {
  const iterator = stream[Symbol.asyncIterator]() as AsyncIterator<Buffer | string>;
  const first = await iterator.next();
  if (first.done) return;
  const head = typeof first.value === "string" ? Buffer.from(first.value) : first.value;
  const chunks = (async function* () {
    yield head;
    for (;;) {
      const n = await iterator.next();
      if (n.done) return;
      yield typeof n.value === "string" ? Buffer.from(n.value) : n.value;
    }
  })();
  let source: AsyncIterable<Buffer> = chunks;
  let gunzipError: string | undefined;
  if (isGzip(head)) {
    const gunzip = createGunzip();
    gunzip.on("error", () => undefined);
    (async () => {
      try {
        for await (const c of chunks) if (!gunzip.write(c)) await new Promise((r) => gunzip.once("drain", r));
      } finally {
        gunzip.end();
      }
    })().catch(() => undefined);
    source = (async function* () {
      try {
        for await (const c of gunzip) yield c as Buffer;
      } catch (e) {
        gunzipError = `gzip: ${(e as Error).message}`;
      }
    })();
  }

  const buffered: Buffer[] = [];
  let size = 0;
  let splitter: ReturnType<typeof recordSplitter> | undefined;
  const decoder = new StringDecoder("utf8");
  for await (const chunk of source) {
    if (!splitter) {
      buffered.push(chunk);
      size += chunk.length;
      if (size <= limit) continue;
      splitter = recordSplitter(sink);
      splitter.push(decoder.write(Buffer.concat(buffered)));
      buffered.length = 0;
    } else {
      splitter.push(decoder.write(chunk));
    }
    await handler.drain?.();
  }
  if (splitter) {
    splitter.push(decoder.end());
    splitter.end();
  } else {
    const text = Buffer.concat(buffered).toString("utf8");
    parseLogText(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text, sink);
  }
  if (gunzipError) sink.error(gunzipError);
}
