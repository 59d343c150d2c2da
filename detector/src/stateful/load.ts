import { loadRules, LOAD_ERRORS, LoadFailure, makeMessage, type CompiledRule, type EngineLoadOptions, type LoadResult, type RulesFile } from "../engine";
import { MemoryStore } from "../state/memory";
import type { StateStore } from "../state/store";
import { newCounters, type StageContext } from "./context";
import { makePlan } from "./plan";
import { readStatefulSpec } from "./specReader";
import { StatefulRuleset } from "./statefulRuleset";
import { STATEFUL_KEYS, type StatefulSpec } from "./types";
import { US_PER_SECOND } from "./window";

export interface StatefulOptions {
  /**
   * How late a record may arrive, in event time past its window, and still count with it.
   * CloudTrail delivers most files within 15 minutes. Default 3600 (one hour).
   */
  latenessSeconds?: number;
  /** See StageContext.repeatAlertsOnRedelivery. Default false; the connector sets it. */
  repeatAlertsOnRedelivery?: boolean;
}

export interface StatefulLoadResult extends LoadResult {
  stateful?: StatefulRuleset;
}

/**
 * Loads rules files like `loadRules`, with the stateful keys `threshold`, `suppress` and
 * `sequence` read, checked and put to work. Callers use the result's `stateful.evaluateBatch`
 * where they used `ruleset.inspect(record)`. State goes to `store` (default: memory).
 */
export function loadStatefulRules(
  files: readonly RulesFile[],
  options: EngineLoadOptions & StatefulOptions = {},
  store: StateStore = new MemoryStore(),
): StatefulLoadResult {
  const extensionKeys = new Set([...(options.extensionKeys ?? []), ...STATEFUL_KEYS]);
  const loaded = loadRules(files, { ...options, extensionKeys });
  if (!loaded.ok || !loaded.ruleset) return loaded;
  const ruleset = loaded.ruleset;

  const specs = new Map<string, StatefulSpec>();
  const names = new Set(ruleset.rules.map((r) => r.name));
  const byName = new Map(ruleset.rules.map((r) => [r.name, r]));
  // Checked in definition order, disabled rules too (as their conditions are): every error is reported.
  const errors: LoadFailure[] = [];
  const collect = (check: () => void) => {
    try {
      check();
    } catch (e) {
      if (!(e instanceof LoadFailure)) throw e;
      errors.push(e);
    }
  };
  for (const rule of [...ruleset.rules].sort((a, b) => a.index - b.index)) {
    collect(() => {
      const spec = readStatefulSpec(rule, names);
      if (spec) specs.set(rule.name, spec);
    });
  }
  if (!errors.length) collect(() => refuseCycles(specs, byName));
  if (errors.length) return { ok: false, errors: errors.map((e) => makeMessage(e.code, e.message, e.ctx, e.inText)), warnings: loaded.warnings };

  const ctx: StageContext = {
    latenessUs: (options.latenessSeconds ?? 3600) * US_PER_SECOND,
    repeatAlertsOnRedelivery: options.repeatAlertsOnRedelivery ?? false,
    counters: newCounters(),
  };
  const active = new Set(ruleset.active.map((r) => r.name));
  const watched = new Map<string, { compiled: CompiledRule; spec?: StatefulSpec; active: boolean }>();
  const watch = (rule: CompiledRule): void => {
    if (watched.has(rule.name)) return;
    const spec = specs.get(rule.name);
    watched.set(rule.name, { compiled: rule, spec, active: active.has(rule.name) });
    // A rule without stateful keys is watched only to open sequences; the engine still alerts for it.
    ruleset.watch(rule.name, spec ? "hold" : "report");
    for (const after of spec?.sequence?.after ?? []) watch(byName.get(after) as CompiledRule);
  };
  for (const name of specs.keys()) if (active.has(name)) watch(byName.get(name) as CompiledRule);

  return { ...loaded, stateful: new StatefulRuleset(ruleset, makePlan(ruleset, [...watched.values()]), ctx, store) };
}

/** A sequence that follows itself through other rules could never be worked out in order. */
function refuseCycles(specs: ReadonlyMap<string, StatefulSpec>, byName: ReadonlyMap<string, CompiledRule>): void {
  const state = new Map<string, "open" | "done">();
  const visit = (name: string, path: string[]): void => {
    if (state.get(name) === "done") return;
    if (state.get(name) === "open") {
      const cycle = [...path.slice(path.indexOf(name)), name];
      const info = byName.get(cycle[0])!.info;
      throw new LoadFailure(LOAD_ERRORS.VALIDATE, `sequence.after makes a cycle (${cycle.join(" -> ")}): a sequence cannot follow a rule that follows it`, info.extensions.get("sequence")?.ctx ?? info.ctx);
    }
    state.set(name, "open");
    for (const after of specs.get(name)?.sequence?.after ?? []) visit(after, [...path, name]);
    state.set(name, "done");
  };
  for (const name of specs.keys()) visit(name, []);
}
