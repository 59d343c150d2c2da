import type { Alert, CompiledRule, Ruleset, WatchedMatch } from "../engine";
import { EventContext, type ExactSource, type RunInfo } from "../engine/event";
import { parseLogText } from "../ingest/records";
import type { BuildJob } from "./protocol";

/**
 * A file's stateful matches, kept until the state has decided which of them alert (by a worker, or
 * by the main thread for a file it evaluated out of turn). Most never alert, and a match holds its
 * whole parsed record: kept for the several files in flight, those records outlived young
 * collections, which then copied and promoted them (a third of a worker's time in collections).
 * So a match is held as its rule, its record's number and the event's place in the run, beside the
 * text the file was parsed from; the alerts asked for are built from the records found again by
 * parsing that text the same way, which gives the same records with the same exact numbers.
 */
export class HeldMatches {
  private readonly matches: LightMatch[] = [];
  private text?: string;

  constructor(private readonly ruleset: Ruleset) {}

  /** Keeps a match of the record numbered `n` in the input; returns its handle. */
  hold(match: WatchedMatch, n: number): number {
    return this.matches.push({ rule: match.rule, n, num: match.ev.num, run: match.ev.run }) - 1;
  }

  /** The text the file was parsed from, whole. */
  keepText(text: string): void {
    this.text = text;
  }

  get size(): number {
    return this.matches.length;
  }

  /** The alerts the state decided: each item's match built, with the details the state gave it. */
  build(items: BuildJob["items"]): Alert[] {
    const alerts = this.alerts(items.map((item) => item.handle));
    alerts.forEach((alert, i) => (alert.details = items[i].details));
    return alerts;
  }

  /** The alerts of these matches, in the order asked. */
  alerts(handles: readonly number[]): Alert[] {
    const wanted = new Set<number>();
    for (const h of handles) {
      const m = this.matches[h];
      if (!m) throw new Error(`no held match ${h}`);
      wanted.add(m.n);
    }
    if (!wanted.size) return [];
    const records = this.recordsAgain(wanted);
    return handles.map((h) => {
      const m = this.matches[h];
      const found = records.get(m.n)!;
      return this.ruleset.alertFor(m.rule, new EventContext(found.record, m.num, m.run, found.exact));
    });
  }

  private recordsAgain(wanted: ReadonlySet<number>): Map<number, Found> {
    const text = this.text;
    if (text === undefined) throw new Error("a held match's file text was not kept: its alert cannot be built");
    const found = new Map<number, Found>();
    parseLogText(text, {
      record: (record, exact, n) => {
        if (wanted.has(n)) found.set(n, { record, exact });
      },
      error: () => undefined,
    });
    for (const n of wanted) if (!found.has(n)) throw new Error(`record ${n} was not found again in its file's text`);
    return found;
  }
}

interface LightMatch {
  rule: CompiledRule;
  n: number;
  num: bigint;
  run: RunInfo;
}

interface Found {
  record: Record<string, unknown>;
  exact: ExactSource | undefined;
}
