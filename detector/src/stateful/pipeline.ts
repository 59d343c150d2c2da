import { isoUtc } from "../engine";
import type { DocKey, SaveRequest, StateDoc, StateStore } from "../state/store";
import { addCounters, newCounters, type StageContext, type StatefulCounters } from "./context";
import type { Episode } from "./episodes";
import { groupValues } from "./keys";
import type { Plan, PlannedRule, Step } from "./plan";
import { foldFollower, foldMark, keptRecords, newSequenceDoc, type Mark, type SequenceDoc } from "./sequenceState";
import { foldSuppress, newSuppressDoc, type SuppressDoc } from "./suppressState";
import { settleThreshold, foldThreshold, newThresholdDoc, type ThresholdDoc } from "./thresholdState";
import { micros, nanos } from "./window";

/**
 * Works out what a batch of matches (a log file's, say) does to the stateful rules' state, and
 * which alerts follow. Each rule's matches go, in order, through its sequence (did a first-rule
 * match come before?), its threshold (is the count reached?) and its suppression (alerted
 * recently?); a match that passed the threshold is a mark for the rules that follow this one.
 *
 * The work goes in rounds: for the rules of one depth, all sequence groups the batch touches, then
 * all threshold groups, then all suppression groups; then the next depth. A round loads the groups'
 * documents at once, folds each group's matches into its document in the order of the records,
 * and saves each changed document once: a batch costs one read and one conditional write per
 * group and round, however many matches it holds, and a DynamoDB store does the reads and writes
 * of a round all at once. A save that loses to another task folds that group's matches again into
 * the winner's document (and only then acts on the outcome), so each decision is taken once.
 *
 * Whatever the batch boundaries, a group sees its matches in the same order (rounds are ordered so
 * that a rule's marks are known before the rules that follow it run), so a scan alerts the same
 * with state in memory as with state in DynamoDB, file by file or record by record.
 */

/** An alert the state decided: the match whose event alerts, its rule, and what the state says. */
export interface Decision {
  step: Step;
  rule: PlannedRule;
  details: Record<string, unknown>;
  /** Where the alert belongs in the batch (the record is `pos[0]`). */
  pos: number[];
}

/** A match passing through one rule's stages. */
interface Item {
  step: Step;
  pos: number[];
  details: Record<string, unknown>;
  /** When its count was reached (the mark it gives followers). */
  at?: number;
}

interface MarkInput {
  pos: number[];
  key: string;
  mark: Mark;
}

/** The details of a match no stage has spoken about yet (each stage that does writes a new object). */
const NO_DETAILS: Record<string, unknown> = Object.freeze({});

/** Attempts at a round's save before giving up (the batch is then retried by redelivery). */
const MAX_ATTEMPTS = 25;

/** One round at a time per store: a round's folds and saves are not interleaved with another batch's. */
const roundLocks = new WeakMap<StateStore, Promise<void>>();

export class Pipeline {
  constructor(
    private readonly plan: Plan,
    private readonly store: StateStore,
    private readonly ctx: StageContext,
  ) {}

  async run(steps: readonly Step[]): Promise<Decision[]> {
    const own = new Map<number, Step[]>();
    for (const s of steps) {
      let list = own.get(s.rule);
      if (!list) own.set(s.rule, (list = []));
      list.push(s);
      if (this.plan.rules[s.rule].spec) this.ctx.counters.matches++;
    }
    const marks = new Map<number, MarkInput[]>();
    const decisions: Decision[] = [];
    for (const level of this.plan.levels) {
      const rules = level.filter((r) => own.has(r.index) || marks.has(r.index));
      if (rules.length === 0) continue;
      const items = new Map<PlannedRule, Item[]>();
      for (const r of rules) items.set(r, (own.get(r.index) ?? []).map((step) => ({ step, pos: step.pos, details: NO_DETAILS })));
      await this.sequenceRound(rules.filter((r) => r.spec?.sequence), items, marks);
      const accepted = await this.thresholdRound(rules, items);
      const alerting = await this.suppressRound(rules.filter((r) => r.spec && r.active), items);
      for (const [rule, list] of alerting) for (const it of list) decisions.push({ step: it.step, rule, details: it.details === NO_DETAILS ? {} : it.details, pos: it.pos });
      for (const [rule, list] of accepted) {
        rule.followers.forEach((f, i) => {
          let to = marks.get(f);
          if (!to) marks.set(f, (to = []));
          for (const it of list) to.push({ pos: it.pos, key: it.step.marks![i], mark: { t: it.at ?? it.step.t, id: it.step.id, rule: rule.name } });
        });
      }
    }
    this.ctx.counters.alerts += decisions.length;
    return decisions.sort((a, b) => comparePos(a.pos, b.pos));
  }

  /** Sequence rules: followers look back for marks, marks release waiting followers. */
  private async sequenceRound(rules: PlannedRule[], items: Map<PlannedRule, Item[]>, marks: Map<number, MarkInput[]>): Promise<void> {
    if (rules.length === 0) return;
    const work: Work[] = [];
    const owner = new Map<string, PlannedRule>();
    for (const rule of rules) {
      owner.set(`${rule.scope}/q`, rule);
      const inputs: ({ pos: number[]; key: string; step: Step } | MarkInput)[] = [...items.get(rule)!.map((it) => ({ pos: it.pos, key: it.step.q!, step: it.step })), ...(marks.get(rule.index) ?? [])];
      const P = { withinUs: micros(rule.spec!.sequence!.withinNs), latenessUs: this.ctx.latenessUs, repeat: this.ctx.repeatAlertsOnRedelivery };
      for (const [group, list] of groupsOf(inputs, (x) => x.key)) {
        inOrder(list);
        work.push({
          key: { scope: `${rule.scope}/q`, group },
          fold: (doc, counts) => {
            const d = (doc as SequenceDoc | undefined) ?? newSequenceDoc();
            const done: Item[] = [];
            const released: { pos: number[]; id: string; mark: Mark }[] = [];
            let changed = false;
            for (const input of list) {
              if ("step" in input) {
                const step = input.step;
                const r = foldFollower(d, step.t, step.id, () => (typeof step.rec === "function" ? step.rec() : (step.rec ?? "{}")), P);
                changed ||= r.changed;
                if (r.duplicate) counts.duplicates = (counts.duplicates ?? 0) + 1;
                if (r.waiting) counts.pendingFollowers = (counts.pendingFollowers ?? 0) + 1;
                if (r.completion) done.push({ step, pos: step.pos, details: { sequence: sequenceDetails(rule, r.completion.mark, group) } });
              } else {
                const r = foldMark(d, input.mark, P);
                changed ||= r.changed;
                r.released.forEach((c, k) => released.push({ pos: [...input.pos, k], id: c.id, mark: c.mark }));
              }
            }
            return { doc: d, changed, out: { done, released }, meta: () => sequenceMeta(d, P.withinUs, P.latenessUs) };
          },
        });
      }
    }
    const results = await this.round(work);
    for (const rule of rules) items.set(rule, []);
    for (const { w, out } of results) {
      const rule = owner.get(w.key.scope)!;
      const { done, released } = out as { done: Item[]; released: { pos: number[]; id: string; mark: Mark }[] };
      const list = items.get(rule)!;
      list.push(...done);
      if (released.length === 0) continue;
      const recs = await this.store.records(w.key, released.map((r) => r.id));
      for (const r of released) {
        const text = recs.get(r.id);
        if (text === undefined) continue; // its record was dropped with the oldest waiting followers
        const step = this.plan.fromRecord(rule, text, r.pos);
        list.push({ step, pos: r.pos, details: { sequence: sequenceDetails(rule, r.mark, w.key.group) } });
      }
    }
    for (const rule of rules) inOrder(items.get(rule)!);
  }

  /** Thresholds: which matches reach the count (accepted), and which cross it (alert). */
  private async thresholdRound(rules: PlannedRule[], items: Map<PlannedRule, Item[]>): Promise<Map<PlannedRule, Item[]>> {
    const accepted = new Map<PlannedRule, Item[]>();
    const work: Work[] = [];
    const owner = new Map<string, PlannedRule>();
    for (const rule of rules) {
      const th = rule.spec?.threshold;
      if (!th) {
        // Without a threshold every match counts: all are marks, and all go on to alert.
        accepted.set(rule, items.get(rule)!);
        continue;
      }
      accepted.set(rule, []);
      const P = { count: th.count, windowUs: micros(th.windowNs), distinct: th.distinct !== undefined, latenessUs: this.ctx.latenessUs };
      const scope = `${rule.scope}/t`;
      owner.set(scope, rule);
      for (const [group, list] of groupsOf(items.get(rule)!, (it) => (it.step.v === null ? undefined : it.step.th!))) {
        work.push({
          key: { scope, group },
          fold: (doc, counts) => {
            const d = (doc as ThresholdDoc | undefined) ?? newThresholdDoc();
            const ok: Item[] = [];
            const crossing: Item[] = [];
            let changed = false;
            for (const it of list) {
              const r = foldThreshold(d, { t: it.step.t, id: it.step.id, v: it.step.v ?? it.step.id }, P);
              changed ||= r.changed;
              if (r.duplicate) counts.duplicates = (counts.duplicates ?? 0) + 1;
              if (!r.accepted) continue;
              it.at = r.reachedAt;
              ok.push(it);
              if (r.crossing && (!r.again || this.ctx.repeatAlertsOnRedelivery)) {
                crossing.push({ step: it.step, pos: it.pos, at: it.at, details: { ...it.details, threshold: thresholdDetails(rule, r.crossing, group) } });
              } else if (r.countedIn) counts.countedIntoAlerts = (counts.countedIntoAlerts ?? 0) + 1;
            }
            settleThreshold(d, P);
            return { doc: d, changed, out: { ok, crossing }, meta: () => thresholdMeta(d, P) };
          },
        });
      }
    }
    const results = await this.round(work);
    for (const rule of rules) if (rule.spec?.threshold) items.set(rule, []);
    for (const { w, out } of results) {
      const rule = owner.get(w.key.scope)!;
      const { ok, crossing } = out as { ok: Item[]; crossing: Item[] };
      accepted.get(rule)!.push(...ok);
      items.get(rule)!.push(...crossing);
    }
    for (const rule of rules) {
      inOrder(accepted.get(rule)!);
      inOrder(items.get(rule)!);
    }
    return accepted;
  }

  /** Suppression: of the alerts of a group within the window of an earlier one, only that one alerts. */
  private async suppressRound(rules: PlannedRule[], items: Map<PlannedRule, Item[]>): Promise<Map<PlannedRule, Item[]>> {
    const alerting = new Map<PlannedRule, Item[]>();
    const work: Work[] = [];
    const owner = new Map<string, PlannedRule>();
    for (const rule of rules) {
      const sp = rule.spec?.suppress;
      if (!sp) {
        alerting.set(rule, items.get(rule)!);
        continue;
      }
      alerting.set(rule, []);
      const W = micros(sp.windowNs);
      const scope = `${rule.scope}/s`;
      owner.set(scope, rule);
      for (const [group, list] of groupsOf(items.get(rule)!, (it) => it.step.s!)) {
        work.push({
          key: { scope, group },
          fold: (doc, counts) => {
            const d = (doc as SuppressDoc | undefined) ?? newSuppressDoc();
            const out: Item[] = [];
            let changed = false;
            for (const it of list) {
              const r = foldSuppress(d, it.step.t, it.step.id, W, this.ctx.latenessUs);
              changed ||= r.changed;
              if (r.opened || (r.again && this.ctx.repeatAlertsOnRedelivery)) {
                out.push({ step: it.step, pos: it.pos, details: { ...it.details, suppress: { window: sp.window, group: groupValues(sp.groupBy, group) } } });
              } else if (r.duplicate) counts.duplicates = (counts.duplicates ?? 0) + 1;
              else counts.countedIntoAlerts = (counts.countedIntoAlerts ?? 0) + 1;
            }
            return { doc: d, changed, out, meta: () => suppressMeta(d, W, this.ctx.latenessUs) };
          },
        });
      }
    }
    const results = await this.round(work);
    for (const { w, out } of results) alerting.get(owner.get(w.key.scope)!)!.push(...(out as Item[]));
    for (const list of alerting.values()) inOrder(list);
    return alerting;
  }

  /**
   * Loads the groups of a round, folds each, saves the changed ones; folds again the groups whose
   * save lost to another writer. Counters count the folds that were kept.
   */
  private async round(work: Work[]): Promise<{ w: Work; out: unknown }[]> {
    if (work.length === 0) return [];
    const previous = roundLocks.get(this.store) ?? Promise.resolve();
    let release!: () => void;
    const mine = new Promise<void>((r) => (release = r));
    roundLocks.set(this.store, previous.then(() => mine));
    await previous;
    try {
      await this.store.load(work.map((w) => w.key));
      // The outcome of each work item's latest fold, by its index.
      const outs: unknown[] = new Array(work.length);
      const counts: Partial<StatefulCounters>[] = new Array(work.length);
      let pending = work.map((_, i) => i);
      for (let attempt = 1; pending.length; attempt++) {
        const saves: SaveRequest[] = [];
        const saved: number[] = [];
        for (const i of pending) {
          const w = work[i];
          const c: Partial<StatefulCounters> = {};
          const r = w.fold(this.store.get(w.key), c);
          outs[i] = r.out;
          counts[i] = c;
          if (r.changed) {
            saves.push({ key: w.key, doc: r.doc, meta: r.meta() });
            saved.push(i);
          }
        }
        const lost = await this.store.save(saves);
        if (lost.length === 0) break;
        if (attempt >= MAX_ATTEMPTS) throw new Error(`state of ${lost[0].scope} kept changing under ${MAX_ATTEMPTS} attempts to update it`);
        const byKey = new Map(saved.map((i) => [`${work[i].key.scope}\0${work[i].key.group}`, i]));
        pending = lost.map((k) => byKey.get(`${k.scope}\0${k.group}`)!);
      }
      const total = newCounters();
      for (const c of counts) addCounters(total, c);
      addCounters(this.ctx.counters, total);
      return work.map((w, i) => ({ w, out: outs[i] }));
    } finally {
      release();
    }
  }
}

interface Work {
  key: DocKey;
  fold(doc: StateDoc | undefined, counts: Partial<StatefulCounters>): { doc: StateDoc; changed: boolean; out: unknown; meta: () => SaveRequest["meta"] };
}

/** Inputs by group key, in order; those without a key (`undefined`) are left out. */
function groupsOf<T>(inputs: readonly T[], keyOf: (x: T) => string | undefined): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const x of inputs) {
    const key = keyOf(x);
    if (key === undefined) continue;
    let list = out.get(key);
    if (!list) out.set(key, (list = []));
    list.push(x);
  }
  return out;
}

/** Sorts by position, unless already in order (the usual case). */
function inOrder<T extends { pos: number[] }>(list: T[]): void {
  for (let i = 1; i < list.length; i++) {
    if (comparePos(list[i - 1].pos, list[i].pos) > 0) {
      list.sort((a, b) => comparePos(a.pos, b.pos));
      return;
    }
  }
}

export function comparePos(a: readonly number[], b: readonly number[]): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i] - b[i];
  return a.length - b.length;
}

function thresholdDetails(rule: PlannedRule, e: Episode, group: string): Record<string, unknown> {
  const th = rule.spec!.threshold!;
  return {
    count: e.n,
    threshold: th.count,
    window: th.window,
    ...(th.distinct ? { distinct: th.distinct.text } : {}),
    first: isoUtc(nanos(e.first)),
    last: isoUtc(nanos(e.last)),
    sampleEventIds: e.ids,
    group: groupValues(th.groupBy, group),
  };
}

function sequenceDetails(rule: PlannedRule, mark: Mark, group: string): Record<string, unknown> {
  const sq = rule.spec!.sequence!;
  return { after: { rule: mark.rule, eventId: mark.id, time: isoUtc(nanos(mark.t)) }, within: sq.within, group: groupValues(sq.by, group) };
}

/** Rough sizes in memory: enough to keep a budget, not an exact account. */
const idBytes = (s: string) => 16 + s.length;

function thresholdMeta(d: ThresholdDoc, P: { count: number; windowUs: number; latenessUs: number }): SaveRequest["meta"] {
  let bytes = 96;
  // Matches in the latest window, against the count: how close the group is to alerting.
  let recent = 0;
  for (let i = 0; i < d.p.length; i++) {
    const p = d.p[i];
    bytes += 48 + idBytes(p.id) + (p.v === p.id ? 0 : idBytes(p.v));
    if (p.t > d.m - P.windowUs) recent++;
  }
  for (const e of d.e) {
    bytes += 160;
    for (const id of e.ids) bytes += idBytes(id);
    for (const id of e.openers) bytes += idBytes(id);
  }
  const open = d.e.length > 0 && d.e[d.e.length - 1].f > d.m;
  return { expiresAt: d.m + P.windowUs + P.latenessUs, keep: open ? 1 : Math.min(1, recent / P.count), bytes };
}

function suppressMeta(d: SuppressDoc, W: number, L: number): SaveRequest["meta"] {
  const bytes = 96 + d.p.reduce((n, p) => n + 64 + idBytes(p.id), 0) + d.r.reduce((n, id) => n + idBytes(id), 0);
  // Losing a period means one more alert, not a missed one.
  return { expiresAt: d.m + W + L, keep: d.p.some((p) => p.a + W > d.m) ? 0.5 : 0, bytes };
}

function sequenceMeta(d: SequenceDoc, within: number, L: number): SaveRequest["meta"] {
  let bytes = 96;
  for (const m of d.mk) bytes += 64 + idBytes(m.id);
  for (const w of d.w) bytes += 48 + idBytes(w.id);
  for (const p of d.pr) bytes += 96 + idBytes(p.id) + idBytes(p.mark.id);
  const kept = keptRecords(d);
  bytes += 16 * kept.count + kept.chars;
  return { expiresAt: d.m + within + L, keep: d.mk.length ? 1 : d.w.length ? 0.5 : 0, bytes };
}
