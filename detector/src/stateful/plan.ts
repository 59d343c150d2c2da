import { jsonText, parseJsonExact, simpleMillis, type CompiledRule, type EventContext, type Ruleset, type WatchedMatch } from "../engine";
import { countedValue, eventKey, fieldText, groupKey, recordText, scopeOf } from "./keys";
import type { StatefulSpec } from "./types";
import { micros } from "./window";

/**
 * The stateful rules of a ruleset, in the order their state is worked out, and how a match of one
 * of them becomes a step: the few values the rule logic needs (time, event key, group keys,
 * counted value), computed where the record is, so that the logic itself can run elsewhere (in
 * another thread) on plain data.
 */

export interface PlannedRule {
  index: number;
  name: string;
  compiled: CompiledRule;
  /** Undefined for a rule watched only because sequences follow it. */
  spec?: StatefulSpec;
  /** Enabled and at or above the minimum priority; otherwise it never alerts (a building block). */
  active: boolean;
  /** Names the rule's state: changes when its stateful keys change. */
  scope: string;
  /** Sequence rules whose `after` names this rule (indices). */
  followers: number[];
  /** 0 for rules that follow nothing; else one more than the deepest rule they follow. */
  depth: number;
}

/** What the rule logic needs of one match. */
export interface Step {
  rule: number;
  /** Processing order: the record's index in the batch, the match's, then the order of releases. */
  pos: number[];
  /** Event time, microseconds. */
  t: number;
  /** Event key (see keys.ts). */
  id: string;
  /** Group keys: the sequence's `by`, the threshold's and the suppression's `group_by`. */
  q?: string;
  th?: string;
  s?: string;
  /** The threshold's counted value (`distinct`); null when the event lacks the field. */
  v?: string | null;
  /** For each follower of the rule, its `by` group key on this event (where the match is a mark). */
  marks?: string[];
  /** The record as kept while the match waits for a mark (sequence rules); made only if needed. */
  rec?: string | (() => string);
  /** Where the match is: the engine's match or event in this thread, or a handle elsewhere. */
  src: unknown;
}

export class Plan {
  readonly byName: ReadonlyMap<string, PlannedRule>;
  /** Rules by depth: a rule's state is worked out after the state of every rule it follows. */
  readonly levels: PlannedRule[][];

  constructor(
    readonly rules: readonly PlannedRule[],
    readonly ruleset: Ruleset,
  ) {
    this.byName = new Map(rules.map((r) => [r.name, r]));
    const levels: PlannedRule[][] = [];
    for (const r of rules) (levels[r.depth] ??= []).push(r);
    this.levels = levels.filter(Boolean);
  }

  /** The step of a match the engine found. */
  fromMatch(w: WatchedMatch, pos: number[]): Step {
    const rule = this.byName.get(w.rule.name) as PlannedRule;
    return this.describe(rule, w.ev, pos, w);
  }

  /** The step of a stored record, for a rule (a follower released by a mark). */
  fromRecord(rule: PlannedRule, recordText: string, pos: number[]): Step {
    const ev = this.ruleset.contextOf(parseJsonExact(recordText) as Record<string, unknown>);
    const step = this.describe(rule, ev, pos, ev);
    step.rec = recordText;
    return step;
  }

  private describe(rule: PlannedRule, ev: EventContext, pos: number[], src: unknown): Step {
    const step: Step = { rule: rule.index, pos, t: eventMicros(ev), id: eventKey(ev), src };
    const spec = rule.spec;
    if (spec?.sequence) {
      step.q = groupKey(spec.sequence.by, ev);
      // Memoised on the event: a record often waits in several sequences (DeleteObject in two).
      step.rec = () => ev.memoize("s3guard.storedRecord", () => storedRecord(ev));
    }
    if (spec?.threshold) {
      step.th = groupKey(spec.threshold.groupBy, ev);
      if (spec.threshold.distinct) {
        const v = fieldText(spec.threshold.distinct, ev);
        step.v = v === null ? null : countedValue(v);
      }
    }
    if (spec?.suppress) step.s = groupKey(spec.suppress.groupBy, ev);
    if (rule.followers.length) {
      const marks: string[] = [];
      for (const f of rule.followers) marks.push(groupKey(this.rules[f].spec!.sequence!.by, ev));
      step.marks = marks;
    }
    return step;
  }
}

/** CloudTrail's usual `2024-05-01T12:00:00Z` read without BigInt or Date.parse; anything else through the engine's parser. */
function eventMicros(ev: EventContext): number {
  const text = ev.record.eventTime;
  const ms = typeof text === "string" ? simpleMillis(text) : undefined;
  return ms !== undefined ? ms * 1000 : micros(ev.timeNs);
}

/** Builds the plan: the watched rules, each rule's followers, and the depth order. */
export function makePlan(ruleset: Ruleset, watched: readonly { compiled: CompiledRule; spec?: StatefulSpec; active: boolean }[]): Plan {
  const rules: PlannedRule[] = watched.map((w, index) => ({
    index,
    name: w.compiled.name,
    compiled: w.compiled,
    spec: w.spec,
    active: w.active,
    scope: scopeOf(w.compiled.name, specText(w.spec)),
    followers: [],
    depth: 0,
  }));
  const byName = new Map(rules.map((r) => [r.name, r]));
  for (const r of rules) for (const after of r.spec?.sequence?.after ?? []) byName.get(after)?.followers.push(r.index);
  const depthOf = (r: PlannedRule, seen: Set<string>): number => {
    if (seen.has(r.name)) return 0; // cycles are refused at load time
    seen.add(r.name);
    const after = r.spec?.sequence?.after ?? [];
    r.depth = after.length ? 1 + Math.max(...after.map((a) => depthOf(byName.get(a)!, seen))) : 0;
    seen.delete(r.name);
    return r.depth;
  };
  for (const r of rules) depthOf(r, new Set());
  return new Plan(rules, ruleset);
}

/** Records larger than this are kept as their identifying fields only. */
const MAX_STORED_RECORD = 200_000;

/**
 * The record as JSON (numbers as written): the input's own text when the reader has it (already
 * exact, no writing needed), or its identifying fields when it is too large to keep.
 */
function storedRecord(ev: EventContext): string {
  const text = ev.ownText ?? recordText(ev);
  if (text.length <= MAX_STORED_RECORD) return text;
  const record = ev.exact;
  const keep = ["eventVersion", "userIdentity", "eventTime", "eventSource", "eventName", "awsRegion", "sourceIPAddress", "userAgent", "errorCode", "eventID", "eventType", "recipientAccountId", "eventCategory"];
  const small: Record<string, unknown> = {};
  for (const k of keep) if (k in record) small[k] = record[k];
  const rp = record.requestParameters as Record<string, unknown> | null | undefined;
  if (rp && typeof rp === "object") small.requestParameters = { bucketName: rp.bucketName, key: rp.key };
  return jsonText(small);
}

/** The stateful keys as canonical text: state is kept per rule name and this text. */
function specText(spec: StatefulSpec | undefined): string {
  if (!spec) return "";
  const fields = (list: { text: string }[]) => list.map((f) => f.text);
  return JSON.stringify({
    threshold: spec.threshold && {
      count: spec.threshold.count,
      window: String(spec.threshold.windowNs),
      group_by: fields(spec.threshold.groupBy),
      distinct: spec.threshold.distinct?.text,
    },
    suppress: spec.suppress && { window: String(spec.suppress.windowNs), group_by: fields(spec.suppress.groupBy) },
    sequence: spec.sequence && { after: spec.sequence.after, within: String(spec.sequence.withinNs), by: fields(spec.sequence.by) },
  });
}
