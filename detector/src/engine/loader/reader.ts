import { parsePriority } from "../priority";
import type { Priority } from "../types";
import type { Collector } from "./collector";
import type { ExceptionEntry, ExceptionInfo, RuleInfo, RuleUpdate } from "./infos";
import { Context, Diagnostics, ERR, LoadFailure, WARN } from "./messages";
import { asBool, asUnsigned, get, isNull, keys, parseYamlDocuments, YamlError, YMap, YNode, YScalar } from "./yamlTree";

/**
 * Reads one rules file into the collector, item by item, with Falco's checks and messages
 * (falco userspace/engine/rule_loader_reader.cpp). The first error stops the file.
 */

const RGX_IDENTIFIER = /^[a-zA-Z]+[a-zA-Z0-9_]*$/;
const RGX_BARESTR = /^[^()"'\s=,]+$/;

const WARNING_APPEND = "'append' key is deprecated. Add an 'append' entry (e.g. 'condition: append') under 'override' instead.";
const WARNING_ENABLED =
  "The standalone 'enabled' key usage is deprecated. The correct approach requires also a 'replace' entry under the 'override' key (i.e. 'enabled: replace').";
const ERROR_OVERRIDE_APPEND =
  "Keys 'override' and 'append: true' cannot be used together. Add an 'append' entry (e.g. 'condition: append') under 'override' instead.";

const RULE_APPENDABLE = ["condition", "output", "desc", "tags", "exceptions"];
const RULE_REPLACEABLE = ["condition", "output", "desc", "priority", "capture", "capture_duration", "tags", "exceptions", "enabled", "warn_evttypes", "skip-if-unknown-filter"];
const RULE_KEYS = new Set(["rule", "condition", "output", "desc", "priority", "source", "enabled", "capture", "capture_duration", "warn_evttypes", "skip-if-unknown-filter", "tags", "exceptions", "override", "append"]);

/** Sources this engine evaluates, by the names rules may use. */
const CLOUDTRAIL_SOURCES: Record<string, string> = { aws_cloudtrail: "aws_cloudtrail", cloudtrail: "aws_cloudtrail", k8s_audit: "aws_cloudtrail" };

export interface ReadOptions {
  /** Rule keys beyond Falco's that an engine extension understands (they do not warn). */
  extensionKeys: ReadonlySet<string>;
}

function fail(message: string, ctx: Context, code: string = ERR.YAML_VALIDATE): never {
  throw new LoadFailure(code, message, ctx);
}

function at(ctx: Context, node: YNode | undefined): Context {
  return node && node.offset >= 0 ? { ...ctx, offset: node.offset } : ctx;
}

// --- scalar decoding, as decode_val / decode_optional_val ---------------------------------------

function scalarOf(item: YNode, key: string, ctx: Context, optional: boolean, canBeEmpty = false): YScalar | undefined {
  const val = get(item, key);
  if (val === undefined) {
    if (optional) return undefined;
    fail(`Item has no mapping for key '${key}'`, ctx);
  }
  if (isNull(val) && canBeEmpty) return undefined;
  if (isNull(val)) fail(`Mapping for key '${key}' is empty`, ctx);
  if (val.kind !== "scalar") fail("Value is not a scalar value", at(ctx, val));
  if (val.value === "" && canBeEmpty) return undefined;
  if (val.value === "") fail("Value must be non-empty", at(ctx, val));
  return val;
}

function str(item: YNode, key: string, ctx: Context): string {
  return (scalarOf(item, key, ctx, false) as YScalar).value;
}

function optStr(item: YNode, key: string, ctx: Context, canBeEmpty = false): string | undefined {
  return scalarOf(item, key, ctx, true, canBeEmpty)?.value;
}

function bool(item: YNode, key: string, ctx: Context, optional: boolean): boolean | undefined {
  const s = scalarOf(item, key, ctx, optional);
  if (s === undefined) return undefined;
  const b = asBool(s);
  if (b === undefined) fail("Can't decode YAML scalar value", at(ctx, s));
  return b;
}

function unsigned(item: YNode, key: string, ctx: Context): number | undefined {
  const s = scalarOf(item, key, ctx, true);
  if (s === undefined) return undefined;
  const n = asUnsigned(s);
  if (n === undefined) fail("Can't decode YAML scalar value", at(ctx, s));
  return n;
}

/** A sequence of scalars (`items`, `tags`); absent is allowed when optional. */
function scalarSeq(item: YNode, key: string, ctx: Context, optional: boolean): string[] | undefined {
  const val = get(item, key);
  if (val === undefined) {
    if (optional) return undefined;
    fail(`Item has no mapping for key '${key}'`, ctx);
  }
  const vctx = at(ctx, val);
  if (val.kind !== "seq") fail("Value is not a sequence", vctx);
  return val.items.map((v) => {
    if (v.kind !== "scalar") fail("sequence value is not scalar", at(vctx, v));
    return v.value;
  });
}

function parsePriorityOrFail(item: YNode, ctx: Context): Priority {
  const text = str(item, "priority", ctx);
  const p = parsePriority(text);
  if (!p) fail("Invalid priority", at(ctx, get(item, "priority")));
  return p;
}

// --- overrides --------------------------------------------------------------------------------

function readOverrides(item: YNode, appendable: readonly string[], replaceable: readonly string[], ctx: Context): { append: Set<string>; replace: Set<string> } {
  const append = new Set<string>();
  const replace = new Set<string>();
  const val = get(item, "override");
  if (val === undefined) return { append, replace };
  if (val.kind !== "map") fail("Value of 'override' must be a mapping", at(ctx, val));
  for (const { key, value } of val.entries) {
    const k = key.kind === "scalar" ? key.value : "";
    const op = value.kind === "scalar" ? value.value : "";
    const canAppend = appendable.includes(k);
    const canReplace = replaceable.includes(k);
    if (op === "append") {
      if (!canAppend) fail(`Key '${k}' cannot be appended to, use 'replace' instead`, at(ctx, key));
      append.add(k);
    } else if (op === "replace") {
      if (!canReplace) fail(`Key '${k}' cannot be replaced`, at(ctx, key));
      replace.add(k);
    } else {
      const allowed = `${canAppend ? "append " : ""}${canReplace ? "replace " : ""}`;
      fail(`Invalid override operation for key '${k}': '${op}'. Allowed values are: ${allowed}`, at(ctx, value));
    }
  }
  return { append, replace };
}

// --- exceptions -------------------------------------------------------------------------------

function exceptionEntry(node: YNode | undefined, key: string | undefined, ctx: Context, optional: boolean): ExceptionEntry | undefined {
  if (node === undefined) {
    if (optional) return undefined;
    fail(`Item has no mapping for key '${key}'`, ctx);
  }
  const vctx = at(ctx, node);
  if (node.kind === "scalar") {
    if (node.value === "") fail("Value must be non-empty", vctx);
    return { isList: false, item: node.value, items: [] };
  }
  if (node.kind === "seq") {
    return { isList: true, item: "", items: node.items.map((v) => exceptionEntry(v, undefined, vctx, false) as ExceptionEntry) };
  }
  // A mapping is neither a scalar nor a list: Falco leaves the entry empty.
  return { isList: false, item: "", items: [] };
}

function readExceptions(item: YNode, ctx: Context, append: boolean, diag: Diagnostics): ExceptionInfo[] {
  const exs = get(item, "exceptions");
  if (exs === undefined || isNull(exs)) return [];
  const exsCtx = at(ctx, exs);
  if (exs.kind !== "seq") fail("Rule exceptions must be a sequence", exsCtx);
  const out: ExceptionInfo[] = [];
  for (const ex of exs.items) {
    const tmp = at(exsCtx, ex);
    if (ex.kind !== "map") fail("Rule exception must be a mapping", tmp);
    const name = str(ex, "name", tmp);
    const exCtx = at(ctx, ex);
    if (out.some((o) => o.name === name)) {
      diag.warn(WARN.EXCEPTION_NAME_NOT_UNIQUE, `Multiple definitions of exception '${name}' in the same rule`, exCtx);
    }
    const info: ExceptionInfo = {
      name,
      fields: exceptionEntry(get(ex, "fields"), "fields", exCtx, append),
      comps: exceptionEntry(get(ex, "comps"), "comps", exCtx, true),
      values: [],
      ctx: exCtx,
    };
    const vals = get(ex, "values");
    if (vals !== undefined) {
      const valsCtx = at(exCtx, vals);
      if (vals.kind !== "seq") fail("Rule exception values must be a sequence", valsCtx);
      for (const v of vals.items) info.values.push(exceptionEntry(v, undefined, at(valsCtx, v), false) as ExceptionEntry);
    } else if (append) {
      diag.warn(WARN.APPEND_NO_VALUES, "Overriding/appending exception with no values", exCtx);
    }
    out.push(info);
  }
  return out;
}

// --- items ------------------------------------------------------------------------------------

function warnUnknownKeys(item: YMap, expected: ReadonlySet<string>, ctx: Context, diag: Diagnostics): void {
  for (const k of keys(item)) {
    if (!expected.has(k)) diag.warn(WARN.UNKNOWN_KEY, `Unknown key '${k}'. The key will be ignored.`, ctx);
  }
}

export function readRulesFile(file: string, text: string, collector: Collector, diag: Diagnostics, opts: ReadOptions): void {
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
      readItem(item, { ...fileCtx, offset: item.offset }, collector, diag, opts);
    }
  }
}

function readItem(item: YNode, ctx: Context, collector: Collector, diag: Diagnostics, opts: ReadOptions): void {
  if (item.kind !== "map") fail("Unexpected element type. Each element should be a yaml associative array.", { ...ctx, itemKind: "item" });
  if (get(item, "required_engine_version") !== undefined) return readEngineVersion(item, { ...ctx, itemKind: "required_engine_version" }, collector, diag);
  if (get(item, "required_plugin_versions") !== undefined) return readPluginVersions(item, { ...ctx, itemKind: "required_plugin_versions" }, collector, diag);
  if (get(item, "list") !== undefined) return readList(item, ctx, collector, diag);
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

function readList(item: YMap, base: Context, collector: Collector, diag: Diagnostics): void {
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
  if (legacyAppend || ov.append.has("items")) collector.appendList(name, items, ctx);
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

function canonicalSource(source: string, ctx: Context, diag: Diagnostics): string {
  const canonical = CLOUDTRAIL_SOURCES[source];
  if (source === "k8s_audit") {
    diag.warn(WARN.SOURCE_ALIAS, "source 'k8s_audit' is evaluated as CloudTrail (aws_cloudtrail): jevt.* fields read the CloudTrail record", ctx);
  }
  return canonical ?? source;
}

function readExtensions(item: YMap, ctx: Context, opts: ReadOptions): Map<string, { node: YNode; ctx: Context }> {
  const ext = new Map<string, { node: YNode; ctx: Context }>();
  for (const { key, value } of item.entries) {
    if (key.kind === "scalar" && opts.extensionKeys.has(key.value)) ext.set(key.value, { node: value, ctx: at(ctx, value) });
  }
  return ext;
}

function readRule(item: YMap, base: Context, collector: Collector, diag: Diagnostics, opts: ReadOptions): void {
  const name = str(item, "rule", { ...base, itemKind: "rule" });
  const ctx: Context = { ...base, itemKind: "rule", itemName: name };
  const rawSource = optStr(item, "source", ctx, true);
  const source = rawSource === undefined ? undefined : canonicalSource(rawSource, ctx, diag);
  const legacyAppend = bool(item, "append", ctx, true) ?? false;
  if (legacyAppend) diag.warn(WARN.DEPRECATED_ITEM, WARNING_APPEND, ctx);
  const extensionKeys = [...opts.extensionKeys];
  const ov = readOverrides(item, RULE_APPENDABLE, [...RULE_REPLACEABLE, ...extensionKeys], ctx);
  const hasOverrides = ov.append.size > 0 || ov.replace.size > 0;
  if (legacyAppend && hasOverrides) fail(ERROR_OVERRIDE_APPEND, ctx);
  const extensions = readExtensions(item, ctx, opts);

  if (hasOverrides) {
    const expected = new Set([...RULE_APPENDABLE, ...RULE_REPLACEABLE, ...extensionKeys].filter((k) => get(item, k) !== undefined));
    const take = (set: Set<string>, kind: string, key: string): boolean => {
      if (!set.has(key)) return false;
      if (!expected.has(key)) fail(`An ${kind} override for '${key}' was specified but '${key}' is not defined`, ctx);
      expected.delete(key);
      return true;
    };
    if (ov.append.size) {
      const u: RuleUpdate = { name, ctx };
      if (take(ov.append, "append", "condition")) {
        u.source = source;
        u.cond = str(item, "condition", ctx);
        u.condCtx = at(ctx, get(item, "condition"));
      }
      if (take(ov.append, "append", "exceptions")) u.exceptions = readExceptions(item, ctx, true, diag);
      if (take(ov.append, "append", "output")) u.output = str(item, "output", ctx);
      if (take(ov.append, "append", "desc")) u.desc = str(item, "desc", ctx);
      if (take(ov.append, "append", "tags")) u.tags = new Set(scalarSeq(item, "tags", ctx, true) ?? []);
      collector.appendRule(u);
    }
    if (ov.replace.size) {
      const u: RuleUpdate = { name, ctx, ignoredKeys: [] };
      if (take(ov.replace, "replace", "condition")) {
        u.source = source;
        u.cond = str(item, "condition", ctx);
        u.condCtx = at(ctx, get(item, "condition"));
      }
      if (take(ov.replace, "replace", "exceptions")) u.exceptions = readExceptions(item, ctx, false, diag);
      if (take(ov.replace, "replace", "output")) u.output = str(item, "output", ctx);
      if (take(ov.replace, "replace", "desc")) u.desc = str(item, "desc", ctx);
      if (take(ov.replace, "replace", "tags")) u.tags = new Set(scalarSeq(item, "tags", ctx, true) ?? []);
      if (take(ov.replace, "replace", "priority")) u.priority = parsePriorityOrFail(item, ctx);
      if (take(ov.replace, "replace", "enabled")) u.enabled = bool(item, "enabled", ctx, false);
      if (take(ov.replace, "replace", "skip-if-unknown-filter")) u.skipIfUnknownFilter = bool(item, "skip-if-unknown-filter", ctx, false);
      for (const k of ["capture", "warn_evttypes"]) if (take(ov.replace, "replace", k)) (bool(item, k, ctx, false), u.ignoredKeys?.push(k));
      if (take(ov.replace, "replace", "capture_duration")) (unsigned(item, "capture_duration", ctx), u.ignoredKeys?.push("capture_duration"));
      const replacedExt = new Map([...extensions].filter(([k]) => take(ov.replace, "replace", k)));
      if (replacedExt.size) u.extensions = replacedExt;
      collector.replaceRule(u);
    }
    for (const key of expected) {
      fail(`Unexpected key '${key}': no corresponding entry under 'override' is defined.`, at(ctx, get(item, key)));
    }
  } else if (legacyAppend) {
    const u: RuleUpdate = { name, source, ctx };
    if (get(item, "condition") !== undefined) {
      u.cond = str(item, "condition", ctx);
      u.condCtx = at(ctx, get(item, "condition"));
    }
    if (get(item, "exceptions") !== undefined) u.exceptions = readExceptions(item, ctx, true, diag);
    collector.appendRule(u);
  } else if (["condition", "output", "desc", "priority"].every((k) => get(item, k) === undefined)) {
    const enabled = bool(item, "enabled", ctx, false) as boolean;
    diag.warn(WARN.DEPRECATED_ITEM, WARNING_ENABLED, ctx);
    collector.enableRule(name, enabled, ctx);
  } else {
    const cond = str(item, "condition", ctx);
    const condCtx = at(ctx, get(item, "condition"));
    const output = str(item, "output", ctx).trim();
    const outputCtx = at(ctx, get(item, "output"));
    const desc = str(item, "desc", ctx);
    const priority = parsePriorityOrFail(item, ctx);
    const declared = optStr(item, "source", ctx);
    const info: RuleInfo = {
      name,
      cond,
      output,
      desc,
      priority,
      source: declared === undefined ? "syscall" : (source as string),
      enabled: bool(item, "enabled", ctx, true) ?? true,
      tags: new Set(),
      exceptions: [],
      skipIfUnknownFilter: false,
      unknownSource: false,
      ctx,
      condCtx,
      outputCtx,
      index: 0,
      visibility: 0,
      extensions,
    };
    bool(item, "capture", ctx, true);
    unsigned(item, "capture_duration", ctx);
    bool(item, "warn_evttypes", ctx, true);
    info.skipIfUnknownFilter = bool(item, "skip-if-unknown-filter", ctx, true) ?? false;
    info.tags = new Set(scalarSeq(item, "tags", ctx, true) ?? []);
    info.exceptions = readExceptions(item, ctx, false, diag);
    collector.defineRule(info, diag);
  }
  warnUnknownKeys(item, new Set([...RULE_KEYS, ...opts.extensionKeys]), ctx, diag);
}
