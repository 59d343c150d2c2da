import type { Alert } from "../engine";
import type { StatefulRuleset } from "../stateful";
import type { Step } from "../stateful/plan";
import type { Decision } from "../stateful/pipeline";
import type { HeldMatches } from "./heldMatches";
import type { EvaluatorPool } from "./pool";

/**
 * What the main thread does with a worker's file once its repeated records are known, shared by
 * `scan --workers` and the connector's workers.
 */

/** The steps of the kept records, each renumbered to its record's index among them (`kept[i]`, -1 when repeated). */
export function stepsOfKept(steps: readonly Step[], kept: Int32Array): Step[] {
  const out: Step[] = [];
  for (const s of steps) {
    const i = kept[s.pos[0]];
    if (i < 0) continue;
    s.pos = [i, ...s.pos.slice(1)];
    out.push(s);
  }
  return out;
}

/**
 * The alerts the state decided, by kept record: a held match (its step's `src` a number) is built
 * where it is held, by the worker or, for a file evaluated in this thread, by `here`; a match made
 * here (a follower released from state) here. The worker's job is released either way.
 */
export function alertsOfDecisions(decisions: readonly Decision[], job: number, stateful: StatefulRuleset, pool: EvaluatorPool, here?: HeldMatches): Promise<Map<number, Alert[]>> {
  const remote = decisions.filter((d) => typeof d.step.src === "number");
  if (!remote.length || here) pool.drop(job);
  const local = decisions.map((d) => (typeof d.step.src === "number" ? undefined : stateful.alertOf(d)));
  const items = remote.map((d) => ({ handle: d.step.src as number, details: d.details }));
  const built = !remote.length ? Promise.resolve([]) : here ? Promise.resolve().then(() => here.build(items)) : pool.build(job, items);
  return built.then((alerts) => {
    const byRecord = new Map<number, Alert[]>();
    let b = 0;
    decisions.forEach((d, i) => {
      const alert = local[i] ?? alerts[b++];
      let list = byRecord.get(d.pos[0]);
      if (!list) byRecord.set(d.pos[0], (list = []));
      list.push(alert);
    });
    return byRecord;
  });
}
