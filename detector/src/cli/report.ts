import type { Writable } from "node:stream";
import type { ScanInputsResult } from "../ingest/inputs";

/** Counts kept during a scan, for the progress line and the summary. */
export class ScanStats {
  readonly started = process.hrtime.bigint();
  inputs = 0;
  events = 0;
  skipped = 0;
  /** Records not evaluated because their eventID already was (the same event delivered twice). */
  repeated = 0;
  errors = 0;
  alerts = 0;
  readonly byRule = new Map<string, number>();

  alert(rule: string): void {
    this.alerts++;
    this.byRule.set(rule, (this.byRule.get(rule) ?? 0) + 1);
  }

  seconds(): number {
    return Number(process.hrtime.bigint() - this.started) / 1e9;
  }
}

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

  private flush(): boolean {
    if (!this.buf || this.closed) return true;
    const ok = this.stream.write(this.buf);
    this.buf = "";
    return ok;
  }

  /** Flushes, then waits until the stream can take more. */
  async drain(): Promise<void> {
    if (!this.flush() && !this.closed) await new Promise<void>((resolve) => this.stream.once("drain", resolve));
  }

  async close(): Promise<void> {
    this.flush();
    if (this.closed) return;
    await new Promise<void>((resolve) => this.stream.write("", () => resolve()));
  }
}

/** A one-line progress report on a terminal, refreshed at most four times a second. */
export class Progress {
  private last = 0;
  private shown = false;
  private readonly tty: boolean;

  constructor(
    private readonly stream: NodeJS.WriteStream,
    private readonly stats: ScanStats,
  ) {
    this.tty = !!stream.isTTY;
  }

  tick(): void {
    if (!this.tty || (this.stats.events & 1023) !== 0) return;
    const now = Date.now();
    if (now - this.last < 250) return;
    this.last = now;
    const rate = Math.round(this.stats.events / Math.max(this.stats.seconds(), 1e-9));
    this.stream.write(`\r${this.stats.inputs} inputs, ${this.stats.events} events, ${this.stats.alerts} alerts, ${rate} events/s `);
    this.shown = true;
  }

  clear(): void {
    if (this.shown) this.stream.write("\r\x1b[K");
    this.shown = false;
  }
}

export function formatSummary(stats: ScanStats, result: ScanInputsResult): string {
  const secs = stats.seconds();
  const lines = [
    "",
    "Summary",
    `  inputs:   ${result.inputs} (${result.unreadable} with errors)`,
    `  events:   ${stats.events} (${stats.skipped} skipped: not CloudTrail events the engine evaluates)`,
    ...(stats.repeated ? [`  repeated: ${stats.repeated} (records whose eventID was already evaluated: evaluated once)`] : []),
    `  alerts:   ${stats.alerts}`,
    `  errors:   ${stats.errors}`,
    `  rate:     ${Math.round(stats.events / Math.max(secs, 1e-9))} events/s over ${secs.toFixed(2)} s`,
  ];
  if (stats.byRule.size) {
    lines.push("  alerts by rule:");
    const width = Math.max(...[...stats.byRule.values()].map((n) => String(n).length));
    for (const [rule, n] of [...stats.byRule].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))) {
      lines.push(`    ${String(n).padStart(width)}  ${rule}`);
    }
  }
  return lines.join("\n") + "\n";
}
