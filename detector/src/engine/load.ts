import { formatSize, RULES_LIMITS } from "./loader/budget";
import { CONTEXT_LISTS, ContextListError, ContextLists, DeploymentContext } from "./context";
import { Collector } from "./loader/collector";
import { compileAll, type CompiledRule } from "./loader/compiler";
import { layered } from "./loader/layering";
import { compileLists } from "./loader/lists";
import { Diagnostics, ERR, LoadFailure, makeMessage } from "./loader/messages";
import { readRulesFile } from "./loader/reader";
import { Ruleset } from "./ruleset";
import type { TimeFormat } from "./alert";
import type { LoadMessage, LoadOptions, RulesFile } from "./types";

export interface EngineLoadOptions extends LoadOptions {
  /** `iso8601` (default) prints alert times as 2024-05-01T12:00:00.000000000+0000; `local` as Falco's default HH:MM:SS. */
  timeFormat?: TimeFormat;
  /** Rule keys beyond Falco's that a caller handles (stateful rule kinds). */
  extensionKeys?: ReadonlySet<string>;
}

export interface LoadResult {
  ok: boolean;
  ruleset?: Ruleset;
  errors: LoadMessage[];
  warnings: LoadMessage[];
}

/** Refuses rules files too large, or too many, to load in bounded time and memory. */
function checkSizes(files: readonly RulesFile[]): void {
  const at = (file: RulesFile | undefined) => ({ file: file?.name ?? "<rules>", fileText: "", offset: -1 });
  if (files.length > RULES_LIMITS.files) {
    throw new LoadFailure(ERR.LIMIT, `too many rules files: ${files.length}, more than the ${RULES_LIMITS.files} allowed; merge them`, at(files[RULES_LIMITS.files]));
  }
  let total = 0;
  for (const file of files) {
    const bytes = Buffer.byteLength(file.content, "utf8");
    if (bytes > RULES_LIMITS.fileBytes) {
      throw new LoadFailure(ERR.LIMIT, `rules file too large: ${formatSize(bytes)}, more than the ${formatSize(RULES_LIMITS.fileBytes)} allowed; split it into several files`, at(file));
    }
    total += bytes;
    if (total > RULES_LIMITS.totalBytes) {
      throw new LoadFailure(ERR.LIMIT, `rules too large: ${formatSize(total)} in all by this file, more than the ${formatSize(RULES_LIMITS.totalBytes)} allowed; load fewer rules`, at(file));
    }
  }
}

/**
 * Loads rules files in order, as Falco does: each file is read into the shared definitions and
 * everything defined so far is compiled, so the first file with a problem is the one reported,
 * with all of its errors (in the order of the file). Warnings of the final compilation (unused
 * macros and lists) are reported once. Layered files (loader/layering.ts), the usual case, are
 * compiled once, at the end: the same rules, the same messages, a fraction of the time.
 */
export function loadRules(files: readonly RulesFile[], options: EngineLoadOptions = {}): LoadResult {
  const readOptions = { extensionKeys: options.extensionKeys ?? new Set<string>() };
  // Context files describe the deployment: they come last so their appends extend whatever the
  // rules files defined, in every order the files were given.
  const ordered = [...files.filter((f) => !f.context), ...files.filter((f) => f.context)];
  try {
    checkSizes(files);
  } catch (e) {
    if (!(e instanceof LoadFailure)) throw e;
    return { ok: false, errors: [makeMessage(e.code, e.message, e.ctx, e.inText)], warnings: [] };
  }
  const loaded = compiledAtOnce(ordered, readOptions) ?? compiledFileByFile(ordered, readOptions);
  if ("ok" in loaded) return loaded;
  const { collector, compiled, readDiag, compileDiag } = loaded;
  const warnings = [...readDiag.warnings, ...compileDiag.warnings];
  const context = deploymentContext(collector);
  if (!(context instanceof DeploymentContext)) return { ok: false, errors: [context], warnings };
  const ruleset = new Ruleset(
    compiled,
    {
      minimumPriority: options.minimumPriority ?? "Debug",
      ruleMatching: options.ruleMatching ?? "first",
      hostname: options.hostname ?? "",
      timeFormat: options.timeFormat ?? "iso8601",
      context,
    },
    warnings,
  );
  return { ok: true, ruleset, errors: [], warnings };
}

interface Loaded {
  collector: Collector;
  compiled: CompiledRule[];
  readDiag: Diagnostics;
  compileDiag: Diagnostics;
}

type ReadOptions = { extensionKeys: ReadonlySet<string> };

/** Every file read, then one compilation: undefined unless all is well and the files are layered. */
function compiledAtOnce(ordered: readonly RulesFile[], readOptions: ReadOptions): Loaded | undefined {
  const collector = new Collector();
  const readDiag = new Diagnostics();
  const failures: LoadFailure[] = [];
  try {
    ordered.forEach((file, i) => {
      collector.startFile(i);
      readRulesFile(file.name, file.content, collector, readDiag, { ...readOptions, context: !!file.context }, failures);
    });
  } catch (e) {
    if (e instanceof LoadFailure) return undefined;
    throw e;
  }
  if (failures.length || !layered(collector)) return undefined;
  const compileDiag = new Diagnostics();
  let compiled: CompiledRule[];
  try {
    compiled = compileAll(collector, compileDiag, failures);
  } catch (e) {
    if (e instanceof LoadFailure) return undefined;
    throw e;
  }
  return failures.length ? undefined : { collector, compiled, readDiag, compileDiag };
}

/** Falco's way: each file read, then everything defined so far compiled; the first file with a problem ends the load. */
function compiledFileByFile(ordered: readonly RulesFile[], readOptions: ReadOptions): Loaded | LoadResult {
  const collector = new Collector();
  const readDiag = new Diagnostics();
  let compileDiag = new Diagnostics();
  let compiled: CompiledRule[] = [];
  try {
    for (const file of ordered) {
      const failures: LoadFailure[] = [];
      readRulesFile(file.name, file.content, collector, readDiag, { ...readOptions, context: !!file.context }, failures);
      compileDiag = new Diagnostics();
      compiled = compileAll(collector, compileDiag, failures);
      if (failures.length) return { ok: false, errors: inFileOrder(failures), warnings: [...readDiag.warnings, ...compileDiag.warnings] };
    }
  } catch (e) {
    if (!(e instanceof LoadFailure)) throw e;
    return { ok: false, errors: [makeMessage(e.code, e.message, e.ctx, e.inText)], warnings: [...readDiag.warnings, ...compileDiag.warnings] };
  }
  return { collector, compiled, readDiag, compileDiag };
}

/** Messages for failures, in the order of their place in the file; the same message once. */
function inFileOrder(failures: readonly LoadFailure[]): LoadMessage[] {
  const ordered = [...failures].sort((a, b) => (a.ctx.file === b.ctx.file ? a.ctx.offset - b.ctx.offset : 0));
  const messages = ordered.map((e) => makeMessage(e.code, e.message, e.ctx, e.inText));
  return [...new Map(messages.map((m) => [m.text, m])).values()];
}

/** The context lists as finally defined (nested lists expanded), checked. */
function deploymentContext(collector: Collector): DeploymentContext | LoadMessage {
  const lists = compileLists(collector.lists);
  const items: { -readonly [K in keyof ContextLists]: ContextLists[K] } = {};
  for (const [key, name] of Object.entries(CONTEXT_LISTS) as [keyof typeof CONTEXT_LISTS, string][]) {
    const list = lists.get(name);
    if (list) items[key] = list.items;
  }
  try {
    return new DeploymentContext(items);
  } catch (e) {
    if (!(e instanceof ContextListError)) throw e;
    const info = collector.lists.get(e.list);
    const at = info ? (info.origins[info.items.indexOf(e.item)] ?? info.ctx) : { file: "", fileText: "", offset: -1 };
    return makeMessage(ERR.VALIDATE, `list ${e.list}: ${e.problem}`, { ...at, itemKind: "list", itemName: e.list });
  }
}

export { ERR };
