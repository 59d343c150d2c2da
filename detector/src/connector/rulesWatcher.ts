import type { Alert, EngineLoadOptions, Ruleset, RulesFile } from "../engine";
import { MemoryStore, type StateStore } from "../state";
import { loadStatefulRules, type StatefulOptions, type StatefulRuleset } from "../stateful";
import { errorText } from "../alerts/sink";
import type { Logger } from "./log";
import type { Metrics } from "./metrics";
import type { RulesSnapshot, RulesSource } from "./rulesSource";
import { checkRulesIsolated, type RulesCheckLimits } from "./rulesCheck";
import { rulesLoadedAlert, rulesRejectedAlert } from "./systemAlerts";

export interface ActiveRules {
  ruleset: Ruleset;
  /** The same rules with their stateful keys at work: what records are evaluated with. */
  stateful: StatefulRuleset;
  version: string;
  origin: string;
  loadedAt: Date;
  /** What the rules were loaded from, and how: worker threads load the same (see ObjectWorkers). */
  files: readonly RulesFile[];
  loadOptions: EngineLoadOptions & StatefulOptions;
}

export interface RulesWatcherOptions {
  /** The rules bucket, or the bundled folder when there is none. */
  source: RulesSource;
  /** Used when the source has nothing loadable at start (the bundled rules), so the service is never blind. */
  fallback?: RulesSource;
  loadOptions: EngineLoadOptions;
  /** Where stateful rules keep their state (default: memory); kept across rules reloads. */
  store?: StateStore;
  reloadMs: number;
  hostname: string;
  /** Limits of the isolated load that checks rules from an external source (see rulesCheck.ts). */
  checkLimits?: RulesCheckLimits;
  /** Receives the service's own alerts: rules loaded, rules rejected. */
  raise(alert: Alert): void;
  log: Logger;
  metrics: Metrics;
}

/**
 * Keeps the active ruleset current. Every `reloadMs` it checks the source's fingerprint; on a
 * change it loads the new files completely and only then swaps the ruleset in (one assignment, so
 * a message is always evaluated by one whole ruleset). A set that does not load leaves the running
 * one in place and raises an `Error` alert, once per broken version.
 */
export class RulesWatcher {
  private active?: ActiveRules;
  private lastFingerprint?: string;
  private timer?: NodeJS.Timeout;
  private stopped = false;

  private readonly store: StateStore;

  constructor(private readonly options: RulesWatcherOptions) {
    this.store = options.store ?? new MemoryStore();
  }

  get current(): ActiveRules | undefined {
    return this.active;
  }

  async start(): Promise<void> {
    await this.check();
    if (!this.active && this.options.fallback) {
      const { fallback, log } = this.options;
      log.warn("using the bundled rules until the rules source has rules that load", { origin: fallback.origin, source: this.options.source.origin });
      try {
        await this.tryLoad(await fallback.read(), fallback.external === true);
      } catch (e) {
        log.error("the bundled rules could not be read", { origin: fallback.origin, error: errorText(e) });
      }
    }
    this.schedule();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => void this.check().finally(() => this.schedule()), this.options.reloadMs);
    this.timer.unref();
  }

  /** One look at the source; loads and swaps when it changed. Never throws. */
  async check(): Promise<void> {
    const { source, log } = this.options;
    let fingerprint: string;
    try {
      fingerprint = await source.fingerprint();
    } catch (e) {
      log.warn("cannot reach the rules source; the current rules keep running", { origin: source.origin, error: errorText(e), running: this.active?.version });
      return;
    }
    if (fingerprint === this.lastFingerprint) return;
    let snapshot: RulesSnapshot;
    try {
      snapshot = await source.read();
    } catch (e) {
      this.reject("unreadable", source.origin, errorText(e));
      this.lastFingerprint = fingerprint;
      return;
    }
    this.lastFingerprint = fingerprint;
    if (snapshot.version === this.active?.version) return;
    await this.tryLoad(snapshot, source.external === true);
  }

  /** Loads a snapshot and swaps it in; rules from outside the image are first checked in isolation. */
  private async tryLoad(snapshot: RulesSnapshot, external: boolean): Promise<void> {
    const { log, loadOptions } = this.options;
    // A record delivered again after its alert was decided alerts again (same id): nothing is lost if a task stops in between.
    const options = { ...loadOptions, repeatAlertsOnRedelivery: true };
    if (external) {
      const check = await checkRulesIsolated(snapshot.files, options, this.options.checkLimits);
      if (!check.ok) return this.reject(snapshot.version, snapshot.origin, check.error);
    }
    let result;
    try {
      result = loadStatefulRules(snapshot.files, options, this.store);
    } catch (e) {
      return this.reject(snapshot.version, snapshot.origin, `the rules engine failed: ${errorText(e)}`);
    }
    for (const w of result.warnings) log.warn("rules warning", { version: snapshot.version, warning: w.text });
    if (!result.ok || !result.stateful) return this.reject(snapshot.version, snapshot.origin, result.errors.map((e) => e.text).join("\n") || "unknown load error");
    const previous = this.active?.version;
    this.active = { ruleset: result.stateful.ruleset, stateful: result.stateful, version: snapshot.version, origin: snapshot.origin, loadedAt: new Date(), files: snapshot.files, loadOptions: options };
    const { metrics } = this.options;
    metrics.reset("s3guard_rules_info");
    metrics.set("s3guard_rules_info", 1, { version: snapshot.version, origin: snapshot.origin });
    metrics.set("s3guard_rules_loaded_timestamp_seconds", Math.floor(Date.now() / 1000));
    const active = result.stateful.ruleset.active.length;
    for (const note of snapshot.notes ?? []) log.warn("rules loaded with a warning", { version: snapshot.version, warning: note });
    log.info("rules loaded", { version: snapshot.version, origin: snapshot.origin, files: snapshot.files.map((f) => f.name), activeRules: active, previous });
    this.options.raise(rulesLoadedAlert(snapshot.version, snapshot.origin, active, previous, this.options.hostname));
  }

  private reject(version: string, origin: string, error: string): void {
    const running = this.active?.version;
    this.options.metrics.inc("s3guard_rules_load_failures_total");
    this.options.log.error("rules update rejected; the running rules stay active", { version, origin, running, error, action: "fix the rules (s3guard validate) and upload them again" });
    this.options.raise(rulesRejectedAlert(version, origin, error, running, this.options.hostname));
  }
}
