import {
  CompileError,
  compileOperand,
  ConditionSyntaxError,
  LOAD_ERRORS,
  LoadFailure,
  parseFieldPrefix,
  type CompiledRule,
  type LoadContext,
  type YNode,
} from "../engine";
import type { FieldRef, SequenceSpec, StatefulSpec, SuppressSpec, ThresholdSpec } from "./types";
import { MAX_WINDOW, MAX_WINDOW_NS, parseWindow } from "./window";

/**
 * Reads and checks a rule's `threshold`, `suppress` and `sequence` keys, with errors as precise
 * as the loader's: the file, the rule, the line, and for a field the place inside it.
 */

type Kind = "threshold" | "suppress" | "sequence";

/** Largest `threshold.count`: each match reads up to twice this many neighbours from the store. */
export const MAX_COUNT = 1000;
/** Most fields in a `group_by` or `by`. */
const MAX_FIELDS = 8;

const KEYS: Record<Kind, { required: string[]; optional: string[] }> = {
  threshold: { required: ["count", "window"], optional: ["group_by", "distinct"] },
  suppress: { required: ["window"], optional: ["group_by"] },
  sequence: { required: ["after", "within"], optional: ["by"] },
};

function at(ctx: LoadContext, node: YNode): LoadContext {
  return node.offset >= 0 ? { ...ctx, offset: node.offset } : ctx;
}

function fail(message: string, ctx: LoadContext, code: string = LOAD_ERRORS.YAML_VALIDATE): never {
  throw new LoadFailure(code, message, ctx);
}

function scalarText(node: YNode): string | undefined {
  return node.kind === "scalar" ? node.value : undefined;
}

/** The mapping's entries by key, after checking the keys against the kind's allowed set. */
function entries(kind: Kind, node: YNode, ctx: LoadContext): Map<string, YNode> {
  const { required, optional } = KEYS[kind];
  const allowed = [...required, ...optional];
  if (node.kind !== "map") fail(`${kind} must be a mapping with the keys ${allowed.join(", ")}`, ctx);
  const out = new Map<string, YNode>();
  for (const { key, value } of node.entries) {
    const k = scalarText(key) ?? "";
    if (!allowed.includes(k)) fail(`Unknown key '${k}' in ${kind}. Allowed keys are: ${allowed.join(", ")}`, at(ctx, key));
    if (out.has(k)) fail(`Key '${k}' appears twice in ${kind}`, at(ctx, key));
    out.set(k, value);
  }
  for (const k of required) if (!out.has(k)) fail(`${kind} has no '${k}'`, ctx);
  return out;
}

function windowOf(kind: Kind, key: string, node: YNode, ctx: LoadContext): { text: string; ns: bigint } {
  const text = scalarText(node) ?? "";
  const ns = parseWindow(text);
  if (ns === undefined) {
    fail(`Invalid ${kind}.${key} '${text}': write a whole number followed by s, m, h or d (30s, 10m, 1h, 1d)`, at(ctx, node));
  }
  if (ns > MAX_WINDOW_NS) fail(`${kind}.${key} '${text}' is longer than the longest window, ${MAX_WINDOW}`, at(ctx, node));
  return { text, ns };
}

/** One field, parsed and bound exactly as in a condition. */
function fieldOf(kind: Kind, key: string, node: YNode, ctx: LoadContext): FieldRef {
  const text = scalarText(node);
  const nodeCtx = at(ctx, node);
  if (text === undefined || text === "") fail(`${kind}.${key} must name fields, such as s3.bucket or ct.user.arn`, nodeCtx);
  const failField = (message: string, offset: number): never => {
    throw new LoadFailure(LOAD_ERRORS.COMPILE_CONDITION, `${kind}.${key}: ${message}`, nodeCtx, { what: kind, text, offset });
  };
  try {
    const { operand, length } = parseFieldPrefix(text);
    if (length !== text.length) failField(`unexpected text after the field '${text.slice(0, length)}'`, length);
    return { text, operand: compileOperand(operand) };
  } catch (e) {
    if (e instanceof ConditionSyntaxError || e instanceof CompileError) failField(e.message, e.offset);
    throw e;
  }
}

function fieldList(kind: Kind, key: string, node: YNode | undefined, ctx: LoadContext): FieldRef[] {
  if (node === undefined) return [];
  if (node.kind !== "seq") fail(`${kind}.${key} must be a list of fields, such as [ct.user.arn, s3.bucket]`, at(ctx, node));
  if (node.items.length > MAX_FIELDS) fail(`${kind}.${key} has ${node.items.length} fields; at most ${MAX_FIELDS} are allowed`, at(ctx, node));
  const fields = node.items.map((n) => fieldOf(kind, key, n, ctx));
  const seen = new Set<string>();
  for (const f of fields) {
    if (seen.has(f.text)) fail(`${kind}.${key} names '${f.text}' twice`, at(ctx, node));
    seen.add(f.text);
  }
  return fields;
}

function readThreshold(node: YNode, ctx: LoadContext): ThresholdSpec {
  const e = entries("threshold", node, ctx);
  const countNode = e.get("count") as YNode;
  const countText = scalarText(countNode) ?? "";
  const count = /^[0-9]+$/.test(countText) ? Number(countText) : NaN;
  if (!(count >= 1 && count <= MAX_COUNT)) {
    fail(`threshold.count must be a whole number from 1 to ${MAX_COUNT}, not '${countText}'`, at(ctx, countNode));
  }
  const w = windowOf("threshold", "window", e.get("window") as YNode, ctx);
  const spec: ThresholdSpec = { count, window: w.text, windowNs: w.ns, groupBy: fieldList("threshold", "group_by", e.get("group_by"), ctx) };
  const distinct = e.get("distinct");
  if (distinct !== undefined) spec.distinct = fieldOf("threshold", "distinct", distinct, ctx);
  return spec;
}

function readSuppress(node: YNode, ctx: LoadContext): SuppressSpec {
  const e = entries("suppress", node, ctx);
  const w = windowOf("suppress", "window", e.get("window") as YNode, ctx);
  return { window: w.text, windowNs: w.ns, groupBy: fieldList("suppress", "group_by", e.get("group_by"), ctx) };
}

function readSequence(node: YNode, ctx: LoadContext, rule: CompiledRule, ruleNames: ReadonlySet<string>): SequenceSpec {
  const e = entries("sequence", node, ctx);
  const afterNode = e.get("after") as YNode;
  const afterItems = afterNode.kind === "seq" ? afterNode.items : [afterNode];
  if (afterItems.length === 0) fail("sequence.after must name a rule, or a list of rules", at(ctx, afterNode));
  const after: string[] = [];
  for (const item of afterItems) {
    const name = scalarText(item);
    if (name === undefined || name === "") fail("sequence.after must name a rule, or a list of rules", at(ctx, item));
    if (name === rule.name) fail(`sequence.after names the rule itself; use threshold to count repeated matches`, at(ctx, item));
    if (!ruleNames.has(name)) {
      fail(`sequence.after names '${name}', but no CloudTrail rule by that name is loaded`, at(ctx, item), LOAD_ERRORS.VALIDATE);
    }
    if (!after.includes(name)) after.push(name);
  }
  const w = windowOf("sequence", "within", e.get("within") as YNode, ctx);
  return { after, within: w.text, withinNs: w.ns, by: fieldList("sequence", "by", e.get("by"), ctx) };
}

/**
 * The stateful keys of a compiled rule, checked; undefined for a plain rule. `ruleNames` are the
 * compiled rules a sequence may follow (every CloudTrail rule, enabled or not).
 */
export function readStatefulSpec(rule: CompiledRule, ruleNames: ReadonlySet<string>): StatefulSpec | undefined {
  const ext = rule.info.extensions;
  if (ext.size === 0) return undefined;
  const spec: StatefulSpec = {};
  const threshold = ext.get("threshold");
  if (threshold) spec.threshold = readThreshold(threshold.node, threshold.ctx);
  const suppress = ext.get("suppress");
  if (suppress) spec.suppress = readSuppress(suppress.node, suppress.ctx);
  const sequence = ext.get("sequence");
  if (sequence) spec.sequence = readSequence(sequence.node, sequence.ctx, rule, ruleNames);
  return spec.threshold || spec.suppress || spec.sequence ? spec : undefined;
}
