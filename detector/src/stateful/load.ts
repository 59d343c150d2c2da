import { loadRules, LoadFailure, makeMessage, type CompiledRule, type EngineLoadOptions, type LoadResult, type RulesFile } from "../engine";
import { MemoryStore } from "../state/memory";
import type { StateStore } from "../state/store";
import { newCounters, type StageContext } from "./context";
import { readStatefulSpec } from "./specReader";
import { StatefulRule } from "./statefulRule";
import { StatefulRuleset } from "./statefulRuleset";
import { STATEFUL_KEYS, type StatefulSpec } from "./types";
import { NS_PER_SECOND } from "./window";

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
 * `sequence` read, checked and put to work. Callers use the result's `stateful.evaluate(record)`
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
  try {
    // Checked in definition order, disabled rules too (as their conditions are): the first error is reported.
    for (const rule of [...ruleset.rules].sort((a, b) => a.index - b.index)) {
      const spec = readStatefulSpec(rule, names);
      if (spec) specs.set(rule.name, spec);
    }
  } catch (e) {
    if (!(e instanceof LoadFailure)) throw e;
    return { ok: false, errors: [makeMessage(e.code, e.message, e.ctx, e.inText)], warnings: loaded.warnings };
  }

  const ctx: StageContext = {
    store,
    latenessNs: BigInt(options.latenessSeconds ?? 3600) * NS_PER_SECOND,
    repeatAlertsOnRedelivery: options.repeatAlertsOnRedelivery ?? false,
    counters: newCounters(),
  };
  const byName = new Map(ruleset.rules.map((r) => [r.name, r]));
  const active = new Set(ruleset.active.map((r) => r.name));
  const watched = new Map<string, StatefulRule>();
  const watch = (rule: CompiledRule): StatefulRule => {
    let w = watched.get(rule.name);
    if (w) return w;
    const spec = specs.get(rule.name);
    w = new StatefulRule(rule, spec, active.has(rule.name), ruleset, ctx);
    watched.set(rule.name, w);
    // A rule without stateful keys is watched only to open sequences; the engine still alerts for it.
    ruleset.watch(rule.name, spec ? "hold" : "report");
    for (const after of spec?.sequence?.after ?? []) watch(byName.get(after) as CompiledRule).followers.push(w);
    return w;
  };
  for (const name of specs.keys()) if (active.has(name)) watch(byName.get(name) as CompiledRule);

  return { ...loaded, stateful: new StatefulRuleset(ruleset, watched, ctx) };
}
