import type { Collector } from "./collector";
import { at, bool, ERROR_OVERRIDE_APPEND, fail, optStr, parsePriorityOrFail, readExceptions, readOverrides, scalarSeq, str, unsigned, warnUnknownKeys, WARNING_APPEND } from "./decode";
import type { RuleInfo, RuleUpdate } from "./infos";
import type { Context, Diagnostics } from "./messages";
import { WARN } from "./messages";
import type { ReadOptions } from "./reader";
import { get, YMap, YNode } from "./yamlTree";

/**
 * A `rule` item: a full definition, an append or replace override, a legacy `append: true`, or a
 * lone `enabled` toggle (falco rule_loader_reader.cpp read_item, rule branch).
 */

const WARNING_ENABLED =
  "The standalone 'enabled' key usage is deprecated. The correct approach requires also a 'replace' entry under the 'override' key (i.e. 'enabled: replace').";
const RULE_APPENDABLE = ["condition", "output", "desc", "tags", "exceptions"];
const RULE_REPLACEABLE = ["condition", "output", "desc", "priority", "capture", "capture_duration", "tags", "exceptions", "enabled", "warn_evttypes", "skip-if-unknown-filter"];
const RULE_KEYS = new Set(["rule", "condition", "output", "desc", "priority", "source", "enabled", "capture", "capture_duration", "warn_evttypes", "skip-if-unknown-filter", "tags", "exceptions", "override", "append"]);

/** Sources this engine evaluates, by the names rules may use. */
const CLOUDTRAIL_SOURCES: Record<string, string> = { aws_cloudtrail: "aws_cloudtrail", cloudtrail: "aws_cloudtrail", k8s_audit: "aws_cloudtrail" };

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

export function readRule(item: YMap, base: Context, collector: Collector, diag: Diagnostics, opts: ReadOptions): void {
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
    // Checked before any change is made, so that a refused item leaves the rule as it was.
    for (const [set, kind] of [[ov.append, "append"], [ov.replace, "replace"]] as const) {
      for (const key of set) if (!expected.has(key)) fail(`An ${kind} override for '${key}' was specified but '${key}' is not defined`, ctx);
    }
    for (const key of expected) {
      if (!ov.append.has(key) && !ov.replace.has(key)) fail(`Unexpected key '${key}': no corresponding entry under 'override' is defined.`, at(ctx, get(item, key)));
    }
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
