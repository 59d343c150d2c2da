import { didYouMean } from "../../suggest";
import { isKnownField } from "../fields";
import { LIST_OPERATORS, OPERATORS } from "../condition/parser";
import { ExceptionInfo, hasAnyValue, ListInfo, MacroInfo, RuleInfo, RuleUpdate } from "./infos";
import { RULES_LIMITS } from "./budget";
import { Context, Diagnostics, ERR, LoadFailure, WARN } from "./messages";

/**
 * Combines definitions across items and files: definitions, appends, overrides, and enabling
 * (falco userspace/engine/rule_loader_collector.cpp). A redefinition keeps the position of the
 * first definition; its visibility moves to the latest one.
 */

export type ItemKind = "list" | "macro" | "rule";

/** This engine speaks the rule language of Falco's engine 0.62.0 (Falco 0.44). */
export const ENGINE_VERSION: [number, number, number] = [0, 62, 0];

/** The plugins whose fields this engine provides, at the versions it matches. */
export const PLUGIN_VERSIONS: Record<string, [number, number, number]> = { cloudtrail: [0, 17, 1], json: [0, 7, 4] };

/** CloudTrail is the only source this engine evaluates. */
const KNOWN_SOURCES = new Set(["aws_cloudtrail"]);

function fail(message: string, ctx: Context): never {
  throw new LoadFailure(ERR.VALIDATE, message, ctx);
}

/** Appends grow a text item by item (YAML aliases make that cheap to write): keep it within the limit. */
function appended(text: string, what: string, ctx: Context): string {
  if (text.length > RULES_LIMITS.conditionChars) {
    throw new LoadFailure(ERR.LIMIT, `${what} too long after appends: ${text.length} characters, more than the ${RULES_LIMITS.conditionChars} allowed; append less`, ctx);
  }
  return text;
}

function compareVersions(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < 3; i++) if (a[i] !== b[i]) return a[i] - b[i];
  return 0;
}

/** Same major and not newer: libsinsp's compatible_with. */
function compatible(have: readonly number[], need: readonly number[]): boolean {
  return have[0] === need[0] && compareVersions(have, need) >= 0;
}

const fmt = (v: readonly number[]) => v.join(".");

export class Collector {
  readonly lists = new Map<string, ListInfo>();
  readonly macros = new Map<string, MacroInfo>();
  readonly rules = new Map<string, RuleInfo>();
  private cur = 0;
  /** The file being read (its position in the load), and the file that first defined each item. */
  private file = 0;
  private readonly firstFile = new Map<string, number>();
  /** Set when a file changed an item an earlier file defined: redefined, appended, overridden or enabled. */
  changedAcrossFiles = false;

  /** Definitions from here on come from the file at this position in the load. */
  startFile(position: number): void {
    this.file = position;
  }

  /** The position of the file that first defined an item. */
  fileOf(kind: ItemKind, name: string): number | undefined {
    return this.firstFile.get(`${kind}:${name}`);
  }

  private touch(kind: ItemKind, name: string): void {
    const key = `${kind}:${name}`;
    const first = this.firstFile.get(key);
    if (first === undefined) this.firstFile.set(key, this.file);
    else if (first !== this.file) this.changedAcrossFiles = true;
  }

  requireEngineVersion(version: [number, number, number], ctx: Context): void {
    if (!compatible(ENGINE_VERSION, version)) {
      fail(`Rules require engine version ${fmt(version)}, but engine version is ${fmt(ENGINE_VERSION)}`, ctx);
    }
  }

  requirePlugin(alternatives: { name: string; version: string }[], ctx: Context): void {
    const seen = new Set<string>();
    const parsed = alternatives.map((a) => {
      const m = /^(\d+)\.(\d+)\.(\d+)$/.exec(a.version);
      if (!m) fail(`Invalid required version '${a.version}' for plugin '${a.name}'`, ctx);
      if (seen.has(a.name)) fail(`Defined multiple alternative version requirements for plugin '${a.name}'`, ctx);
      seen.add(a.name);
      return { name: a.name, version: [Number(m[1]), Number(m[2]), Number(m[3])] };
    });
    const satisfied = parsed.some((a) => PLUGIN_VERSIONS[a.name] && compatible(PLUGIN_VERSIONS[a.name], a.version));
    if (!satisfied) {
      const wanted = parsed.map((a) => `${a.name} ${fmt(a.version)}`).join(" or ");
      const have = Object.entries(PLUGIN_VERSIONS)
        .map(([n, v]) => `${n} ${fmt(v)}`)
        .join(", ");
      fail(`Plugin requirement not satisfied: the rules need ${wanted}; this engine provides the fields of ${have}`, ctx);
    }
  }

  private define<T extends { name: string; index: number; visibility: number }>(kind: ItemKind, table: Map<string, T>, info: T): void {
    this.touch(kind, info.name);
    const id = this.cur++;
    const prev = table.get(info.name);
    info.index = prev ? prev.index : id;
    info.visibility = id;
    table.set(info.name, info);
  }

  defineList(name: string, items: string[], ctx: Context): void {
    this.define("list", this.lists, { name, items, origins: items.map(() => ctx), ctx, index: 0, visibility: 0 });
  }

  appendList(name: string, items: string[], ctx: Context): void {
    const prev = this.lists.get(name);
    if (!prev) fail("List uses 'append' or 'override.items: append' but no list by that name already exists", ctx);
    this.touch("list", name);
    prev.items = [...prev.items, ...items];
    prev.origins = [...prev.origins, ...items.map(() => ctx)];
    prev.visibility = this.cur++;
  }

  defineMacro(name: string, cond: string, ctx: Context, condCtx: Context): void {
    this.define("macro", this.macros, { name, cond, ctx, condCtx, index: 0, visibility: 0 });
  }

  appendMacro(name: string, cond: string, ctx: Context): void {
    const prev = this.macros.get(name);
    if (!prev) fail("Macro uses 'append' or 'override.condition: append' but no macro by that name already exists", ctx);
    this.touch("macro", name);
    prev.cond = appended(`${prev.cond} ${cond}`, "condition", ctx);
    prev.visibility = this.cur++;
  }

  private previousRule(name: string, source: string | undefined, ctx: Context): RuleInfo | undefined {
    const prev = this.rules.get(name);
    if (prev && source !== undefined && prev.source !== source) fail("Rule has been re-defined with a different source", ctx);
    return prev;
  }

  defineRule(info: RuleInfo, diag: Diagnostics): void {
    this.previousRule(info.name, info.source, info.ctx);
    if (!KNOWN_SOURCES.has(info.source)) {
      info.unknownSource = true;
      // A source one or two letters from CloudTrail's is a typo that silently drops the rule: say so.
      diag.warn(WARN.UNKNOWN_SOURCE, `Unknown source ${info.source}, skipping${didYouMean(info.source, ["aws_cloudtrail"])}`, info.ctx);
    }
    for (const ex of info.exceptions) {
      if (!ex.fields) fail("Rule exception item must have fields property with a list of fields", ex.ctx);
      validateException(ex, !info.unknownSource);
    }
    this.define("rule", this.rules, info);
  }

  appendRule(u: RuleUpdate): void {
    const prev = this.previousRule(u.name, u.source, u.ctx);
    if (!prev) fail("Rule uses 'append' or 'override.<key>: append' but no rule by that name already exists", u.ctx);
    if (!hasAnyValue(u)) fail("Appended rule must have exceptions or condition property", u.ctx);
    this.touch("rule", u.name);
    if (u.cond) prev.cond = appended(`${prev.cond} ${u.cond}`, "condition", u.ctx);
    if (u.output) prev.output = appended(`${prev.output} ${u.output}`, "output", u.ctx);
    if (u.desc) prev.desc = appended(`${prev.desc} ${u.desc}`, "desc", u.ctx);
    if (u.tags) for (const t of u.tags) prev.tags.add(t);
    for (const ex of u.exceptions ?? []) {
      const existing = prev.exceptions.find((e) => e.name === ex.name);
      if (!existing) {
        if (!ex.fields) fail("Rule exception must have fields property with a list of fields", ex.ctx);
        if (ex.values.length === 0) fail("Rule exception must have values property with a list of values", ex.ctx);
        validateException(ex, !prev.unknownSource);
        prev.exceptions.push(ex);
      } else {
        if (ex.fields) fail("Can not append exception fields to existing exception, only values", ex.ctx);
        if (ex.comps) fail("Can not append exception comps to existing exception, only values", ex.ctx);
        existing.values.push(...ex.values);
      }
    }
    prev.visibility = this.cur++;
  }

  replaceRule(u: RuleUpdate): void {
    const prev = this.previousRule(u.name, u.source, u.ctx);
    if (!prev) fail("An 'override.<key>: replace' to a rule was requested but no rule by that name already exists", u.ctx);
    if (!hasAnyValue(u)) fail("The rule must have at least one field that can be replaced", u.ctx);
    this.touch("rule", u.name);
    if (u.cond !== undefined) {
      prev.cond = u.cond;
      if (u.condCtx) prev.condCtx = u.condCtx;
    }
    if (u.output !== undefined) prev.output = u.output;
    if (u.desc !== undefined) prev.desc = u.desc;
    if (u.tags !== undefined) prev.tags = u.tags;
    if (u.exceptions !== undefined) {
      for (const ex of u.exceptions) validateException(ex, !prev.unknownSource);
      prev.exceptions = u.exceptions;
    }
    if (u.priority !== undefined) prev.priority = u.priority;
    if (u.enabled !== undefined) prev.enabled = u.enabled;
    if (u.skipIfUnknownFilter !== undefined) prev.skipIfUnknownFilter = u.skipIfUnknownFilter;
    for (const [k, v] of u.extensions ?? []) prev.extensions.set(k, v);
    prev.visibility = this.cur++;
  }

  enableRule(name: string, enabled: boolean, ctx: Context): void {
    const prev = this.rules.get(name);
    if (!prev) fail("Rule has 'enabled' key but no rule by that name already exists", ctx);
    this.touch("rule", name);
    prev.enabled = enabled;
  }
}

/** Fills default comparison operators and checks an exception's shape and fields. */
function validateException(ex: ExceptionInfo, checkFields: boolean): void {
  const fields = ex.fields;
  if (!fields) return;
  if (fields.isList) {
    if (!ex.comps) ex.comps = { isList: true, item: "", items: fields.items.map(() => ({ isList: false, item: "=", items: [] })) };
    if (fields.items.length !== ex.comps.items.length) fail("Fields and comps lists must have equal length", ex.ctx);
    for (const c of ex.comps.items) {
      c.item = c.item.trim();
      if (!OPERATORS.includes(c.item)) fail(`'${c.item}' is not a supported comparison operator`, ex.ctx);
    }
    if (checkFields) for (const f of fields.items) if (!isValidLhsField(f.item)) fail(`'${f.item}' is not a supported filter field`, ex.ctx);
  } else {
    if (!ex.comps) ex.comps = { isList: false, item: "in", items: [] };
    if (ex.comps.isList) fail("Fields and comps must both be strings", ex.ctx);
    ex.comps.item = ex.comps.item.trim();
    if (!LIST_OPERATORS.includes(ex.comps.item)) fail("When fields is a single value, comps must be one of (in, pmatch, intersects)", ex.ctx);
    if (checkFields && !isValidLhsField(fields.item)) fail(`'${fields.item}' is not a supported filter field`, ex.ctx);
  }
}

/** A field name, with an optional `[arg]`, that the engine knows. */
function isValidLhsField(text: string): boolean {
  const m = /^([a-zA-Z][a-zA-Z0-9_]*(?:\.[a-zA-Z][a-zA-Z0-9_]*)+)(?:\[.*\])?$/.exec(text.trim());
  return m !== null && isKnownField(m[1]);
}
