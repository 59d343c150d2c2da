import { Writable } from "node:stream";
import { OutputWriter } from "../../../detector/src/cli/outputWriter";

/**
 * The scan's output waits for a full pipe to drain; a pipe whose reader went away (`| head`) never
 * drains, and the scan must go on (and end) rather than wait for ever.
 */
describe("OutputWriter", () => {
  it("stops waiting for a full pipe when the pipe breaks", async () => {
    // Takes nothing until it fails: every write is left pending, so the stream stays full.
    let fail!: (e: Error) => void;
    const stream = new Writable({
      highWaterMark: 16,
      write: (_chunk, _encoding, callback) => (fail = (e) => callback(e)),
    });
    const out = new OutputWriter(stream);
    out.line("x".repeat(64));
    const drained = out.drain();
    fail(Object.assign(new Error("write EPIPE"), { code: "EPIPE" }));
    await drained;
    // What follows a broken pipe is dropped, and nothing waits any more.
    out.line("after");
    await out.drain();
    await out.close();
    expect(stream.destroyed).toBe(true);
  });

  it("waits for a full pipe to drain", async () => {
    const taken: string[] = [];
    let next!: () => void;
    const stream = new Writable({
      highWaterMark: 16,
      write: (chunk: Buffer, _encoding, callback) => {
        taken.push(chunk.toString());
        next = callback;
      },
    });
    const out = new OutputWriter(stream);
    out.line("y".repeat(64));
    let done = false;
    const drained = out.drain().then(() => (done = true));
    await new Promise((r) => setImmediate(r));
    expect(done).toBe(false);
    next();
    await drained;
    expect(taken).toEqual(["y".repeat(64) + "\n"]);
  });
});
