import type { ScanPlan } from "../ingest/inputs";
import type { ScanStats } from "./summary";

/**
 * A one-line progress report on a terminal (never when stderr is a file or a pipe), refreshed at
 * most four times a second. When every input is a file, their sizes say how far the scan is: the
 * line then shows the percentage read and the time left at the rate so far.
 */
export class Progress {
  private last = 0;
  private shown = false;
  private plan: ScanPlan | undefined;
  private readonly tty: boolean;

  constructor(
    private readonly stream: NodeJS.WriteStream,
    private readonly stats: ScanStats,
    private readonly now: () => number = Date.now,
  ) {
    this.tty = !!stream.isTTY;
  }

  planned(plan: ScanPlan): void {
    this.plan = plan;
  }

  /** After each record: cheap, and only every 1024 records looks at the clock. */
  tick(): void {
    if (this.tty && (this.stats.events & 1023) === 0) this.refresh();
  }

  /** After each input (a scan of many small logs may have few records per input). */
  inputDone(): void {
    if (this.tty) this.refresh();
  }

  private refresh(): void {
    const now = this.now();
    if (now - this.last < 250) return;
    this.last = now;
    this.stream.write(`\r${progressLine(this.stats, this.plan, this.stats.seconds())}\x1b[K`);
    this.shown = true;
  }

  clear(): void {
    if (this.shown) this.stream.write("\r\x1b[K");
    this.shown = false;
  }
}

export function progressLine(stats: Pick<ScanStats, "inputs" | "events" | "alerts">, plan: ScanPlan | undefined, seconds: number): string {
  const rate = Math.round(stats.events / Math.max(seconds, 1e-9));
  const counts = `${stats.inputs}${plan ? `/${plan.inputs}` : ""} inputs, ${stats.events} events, ${stats.alerts} alerts, ${rate} events/s`;
  if (!plan?.bytes) return counts;
  const read = Math.min(plan.bytesRead(), plan.bytes);
  const percent = Math.floor((read / plan.bytes) * 100);
  // The rate so far needs a little history before it says anything about the time left.
  const eta = read > 0 && seconds >= 1 ? `, ETA ${duration((seconds * (plan.bytes - read)) / read)}` : "";
  return `${String(percent).padStart(3)}% ${counts}${eta}`;
}

/** 5s, 4m05s, 2h03m. */
export function duration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, "0")}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, "0")}m`;
}
