import { writeFileSync } from "node:fs";
import type { Writable } from "node:stream";

/** Buffered line output that respects the stream's back-pressure and a closed pipe. */
export class OutputWriter {
  private buf = "";
  private closed = false;

  constructor(private readonly stream: Writable) {
    stream.on("error", () => {
      this.closed = true;
    });
  }

  line(text: string): void {
    if (this.closed) return;
    this.buf += text + "\n";
    if (this.buf.length >= 1 << 16) this.flush();
  }

  /** Writes what is buffered now (a pipe or file on Linux takes it synchronously): for an exit on Ctrl-C. */
  flush(): boolean {
    if (!this.buf || this.closed) return true;
    const ok = this.stream.write(this.buf);
    this.buf = "";
    return ok;
  }

  /** Flushes, then waits until the stream can take more. */
  async drain(): Promise<void> {
    if (this.flush() || this.closed) return;
    // A pipe closed meanwhile never drains: its error ends the wait too.
    await new Promise<void>((resolve) => {
      const done = () => {
        this.stream.off("drain", done);
        this.stream.off("error", done);
        this.stream.off("close", done);
        resolve();
      };
      this.stream.once("drain", done);
      this.stream.once("error", done);
      this.stream.once("close", done);
    });
  }

  async close(): Promise<void> {
    this.flush();
    if (this.closed) return;
    await new Promise<void>((resolve) => this.stream.write("", () => resolve()));
  }
}

/**
 * Creates (or empties) a file the scan writes at its end, so that a path that cannot be written is
 * said before a long scan rather than after it. Returns the problem, or undefined.
 */
export function checkWritable(file: string, option: string): string | undefined {
  try {
    writeFileSync(file, "");
    return undefined;
  } catch (e) {
    return `${option} ${file}: cannot write: ${(e as Error).message}`;
  }
}
