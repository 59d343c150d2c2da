import type { Collector } from "./collector";
import { at, bool, ERROR_OVERRIDE_APPEND, fail, readOverrides, scalarOf, scalarSeq, str, warnUnknownKeys, WARNING_APPEND } from "./decode";
import { collecting, Context, Diagnostics, ERR, LoadFailure, WARN } from "./messages";
import { readRule } from "./ruleItem";
import { asUnsigned, get, isNull, parseYamlDocuments, YamlError, YMap, YNode, YScalar } from "./yamlTree";

/**
 * Reads one rules file into the collector, item by item, with Falco's checks and messages
 * (falco userspace/engine/rule_loader_reader.cpp). An item with an error adds it to `errors` and
 * the next item is read, so that every error of a file is reported at once.
 */

/** Falco's `[a-zA-Z]+[a-zA-Z0-9_]*`, written so that a long name cannot make it backtrack. */
const RGX_IDENTIFIER = /^[a-zA-Z][a-zA-Z0-9_]*$/;
const RGX_BARESTR = /^[^()"'\s=,]+$/;

export interface ReadOptions {
  /** Rule keys beyond Falco's that an engine extension understands (they do not warn). */
  extensionKeys: ReadonlySet<string>;
  /**
   * The file is a deployment context file: a list it appends to that no rules file defines is
   * defined by it instead of failing the load (the context describes the deployment whatever
   * rules are loaded beside it).
   */
  context?: boolean;
}

export function readRulesFile(file: string, text: string, collector: Collector, diag: Diagnostics, opts: ReadOptions, errors: LoadFailure[]): void {
  const fileCtx: Context = { file, fileText: text, offset: -1 };
  let docs: (YNode | null)[];
  try {
    docs = parseYamlDocuments(text);
  } catch (e) {
    if (e instanceof YamlError) throw new LoadFailure(ERR.YAML_PARSE, e.message, { ...fileCtx, offset: e.offset });
    throw new LoadFailure(ERR.YAML_PARSE, (e as Error).message, fileCtx);
  }
  for (const doc of docs) {
    if (doc === null || isNull(doc)) continue;
    if (doc.kind !== "map" && doc.kind !== "seq") fail("Rules content is not yaml", fileCtx);
    if (doc.kind !== "seq") fail("Rules content is not yaml array of objects", fileCtx);
    for (const item of doc.items) {
      if (isNull(item)) continue;
      collecting(errors, () => readItem(item, { ...fileCtx, offset: item.offset }, collector, diag, opts));
    }
  }
}

function readItem(item: YNode, ctx: Context, collector: Collector, diag: Diagnostics, opts: ReadOptions): void {
  if (item.kind !== "map") fail("Unexpected element type. Each element should be a yaml associative array.", { ...ctx, itemKind: "item" });
  if (get(item, "required_engine_version") !== undefined) return readEngineVersion(item, { ...ctx, itemKind: "required_engine_version" }, collector, diag);
  if (get(item, "required_plugin_versions") !== undefined) return readPluginVersions(item, { ...ctx, itemKind: "required_plugin_versions" }, collector, diag);
  if (get(item, "list") !== undefined) return readList(item, ctx, collector, diag, opts);
  if (get(item, "macro") !== undefined) return readMacro(item, ctx, collector, diag);
  if (get(item, "rule") !== undefined) return readRule(item, ctx, collector, diag, opts);
  diag.warn(WARN.UNKNOWN_ITEM, "Unknown top level item", { ...ctx, itemKind: "item" });
}

function readEngineVersion(item: YMap, ctx: Context, collector: Collector, diag: Diagnostics): void {
  const s = scalarOf(item, "required_engine_version", ctx, false) as YScalar;
  const n = asUnsigned(s);
  let version: [number, number, number];
  if (n !== undefined && n <= 0xffffffff) {
    version = [0, n, 0];
  } else {
    const m = /^(\d+)\.(\d+)\.(\d+)$/.exec(s.value);
    if (!m) fail(`Unable to parse engine version '${s.value}' as a semver string. Expected "x.y.z" semver format.`, ctx);
    version = [Number(m[1]), Number(m[2]), Number(m[3])];
  }
  collector.requireEngineVersion(version, ctx);
  warnUnknownKeys(item, new Set(["required_engine_version"]), ctx, diag);
}

function readPluginVersions(item: YMap, ctx: Context, collector: Collector, diag: Diagnostics): void {
  const reqs = get(item, "required_plugin_versions") as YNode;
  const rctx = at(ctx, reqs);
  if (reqs.kind !== "seq") fail("Value of required_plugin_versions must be a sequence", rctx);
  for (const plugin of reqs.items) {
    const tmp = at(rctx, plugin);
    if (plugin.kind !== "map") fail("Plugin version must be a mapping", tmp);
    const name = str(plugin, "name", tmp);
    const pctx = { ...tmp, itemName: name };
    const alternatives = [{ name, version: str(plugin, "version", pctx) }];
    const alts = get(plugin, "alternatives");
    if (alts !== undefined) {
      if (alts.kind !== "seq") fail("Value of plugin version alternatives must be a sequence", pctx);
      for (const alt of alts.items) {
        const actx = at(pctx, alt);
        if (alt.kind !== "map") fail("Plugin version alternative must be a mapping", actx);
        const altName = str(alt, "name", actx);
        alternatives.push({ name: altName, version: str(alt, "version", { ...actx, itemName: altName }) });
      }
    }
    collector.requirePlugin(alternatives, pctx);
  }
  warnUnknownKeys(item, new Set(["required_plugin_versions"]), ctx, diag);
}

function readList(item: YMap, base: Context, collector: Collector, diag: Diagnostics, opts: ReadOptions): void {
  const name = str(item, "list", { ...base, itemKind: "list" });
  const ctx: Context = { ...base, itemKind: "list", itemName: name };
  if (!RGX_BARESTR.test(name)) {
    diag.warn(WARN.INVALID_LIST_NAME, "List has an invalid name. List names should match a regular expression: ([^()\"'[:space:]=,]+)", ctx);
  }
  const items = scalarSeq(item, "items", ctx, false) as string[];
  const legacyAppend = bool(item, "append", ctx, true) ?? false;
  if (legacyAppend) diag.warn(WARN.DEPRECATED_ITEM, WARNING_APPEND, ctx);
  const ov = readOverrides(item, ["items"], ["items"], ctx);
  if (legacyAppend && (ov.append.size || ov.replace.size)) fail(ERROR_OVERRIDE_APPEND, ctx);
  const append = legacyAppend || ov.append.has("items");
  if (append && !(opts.context && !collector.lists.has(name))) collector.appendList(name, items, ctx);
  else collector.defineList(name, items, ctx);
  warnUnknownKeys(item, new Set(["list", "items", "append", "override"]), ctx, diag);
}

function readMacro(item: YMap, base: Context, collector: Collector, diag: Diagnostics): void {
  const name = str(item, "macro", { ...base, itemKind: "macro" });
  const ctx: Context = { ...base, itemKind: "macro", itemName: name };
  if (!RGX_IDENTIFIER.test(name)) {
    diag.warn(WARN.INVALID_MACRO_NAME, "Macro has an invalid name. Macro names should match a regular expression: ([a-zA-Z]+[a-zA-Z0-9_]*)", ctx);
  }
  const cond = str(item, "condition", ctx);
  const condCtx = at(ctx, get(item, "condition"));
  const legacyAppend = bool(item, "append", ctx, true) ?? false;
  if (legacyAppend) diag.warn(WARN.DEPRECATED_ITEM, WARNING_APPEND, ctx);
  const ov = readOverrides(item, ["condition"], ["condition"], ctx);
  if (legacyAppend && (ov.append.size || ov.replace.size)) fail(ERROR_OVERRIDE_APPEND, ctx);
  if (legacyAppend || ov.append.has("condition")) collector.appendMacro(name, cond, ctx);
  else collector.defineMacro(name, cond, ctx, condCtx);
  warnUnknownKeys(item, new Set(["macro", "condition", "append", "override"]), ctx, diag);
}

