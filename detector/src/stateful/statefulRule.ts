import type { Alert, CompiledRule, EventContext, Ruleset } from "../engine";
import type { StageContext } from "./context";
import { scopeOf } from "./keys";
import { sequenceFollower, sequenceMark } from "./sequence";
import { suppressStep } from "./suppress";
import { thresholdStep } from "./threshold";
import type { StatefulSpec } from "./types";

/**
 * One watched rule and what happens to its matches, in a fixed order:
 *
 *   condition matched -> sequence (did a first-rule match come before?) -> threshold (is the count
 *   reached?) -> suppress (alerted recently?) -> alert; and the rules that follow this one are told
 *   of every match that passed the threshold, alerted or not.
 *
 * A rule with none of the keys is watched only because sequences follow it: its matches open
 * those sequences, and the engine alerts for it as usual.
 */

export interface Match {
  ev: EventContext;
  alert: () => Alert;
}

export class StatefulRule {
  /** Sequence rules whose `after` names this rule. */
  readonly followers: StatefulRule[] = [];
  private readonly scope: string;

  constructor(
    readonly rule: CompiledRule,
    readonly spec: StatefulSpec | undefined,
    /** Enabled and at or above the minimum priority; otherwise it never alerts (a building block). */
    readonly active: boolean,
    private readonly ruleset: Ruleset,
    private readonly ctx: StageContext,
  ) {
    this.scope = scopeOf(rule.name, specText(spec));
  }

  /** The engine found the rule's condition true for a record. */
  async matched(m: Match, out: Alert[]): Promise<void> {
    if (!this.spec) return this.proceed(m, {}, out);
    this.ctx.counters.matches++;
    if (!this.spec.sequence) return this.proceed(m, {}, out);
    const step = await sequenceFollower(this.spec.sequence, `${this.scope}/q`, m.ev, this.ctx);
    if (step) await this.proceed(m, { sequence: step.details }, out);
  }

  /** A rule this one follows accepted a match (at `at`): record it, and complete waiting matches. */
  async opened(afterRule: string, ev: EventContext, at: bigint, out: Alert[]): Promise<void> {
    const sequence = this.spec?.sequence;
    if (!sequence) return;
    for (const r of await sequenceMark(sequence, `${this.scope}/q`, afterRule, ev, at, this.ctx)) {
      const follower = this.ruleset.contextOf(r.record);
      await this.proceed({ ev: follower, alert: () => this.ruleset.alertFor(this.rule, follower) }, { sequence: r.details }, out);
    }
  }

  /** After the sequence step: threshold, suppression and alert, then the rules that follow this one. */
  private async proceed(m: Match, details: Record<string, unknown>, out: Alert[]): Promise<void> {
    let alerting = true;
    let at = m.ev.timeNs;
    if (this.spec?.threshold) {
      const r = await thresholdStep(this.spec.threshold, `${this.scope}/t`, m.ev, this.ctx);
      if (!r.accepted) return;
      at = r.reachedAt ?? at;
      if (r.crossing) details.threshold = r.crossing;
      else alerting = false;
    }
    // Plain rules are alerted by the engine; building blocks never alert.
    if (this.spec && this.active && alerting) await this.alert(m, details, out);
    for (const f of this.followers) await f.opened(this.rule.name, m.ev, at, out);
  }

  private async alert(m: Match, details: Record<string, unknown>, out: Alert[]): Promise<void> {
    if (this.spec?.suppress) {
      const s = await suppressStep(this.spec.suppress, `${this.scope}/s`, m.ev, this.ctx);
      if (!s.alert) return;
      details.suppress = s.details;
    }
    const alert = m.alert();
    alert.details = details;
    this.ctx.counters.alerts++;
    out.push(alert);
  }
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
