import type { Priority } from "../types";
import type { Context } from "./messages";
import type { YNode } from "./yamlTree";

/** What the reader makes of each rules-file item, before definitions are combined. */

export interface ListInfo {
  name: string;
  items: string[];
  /** Where each item was written (its definition or append), for messages about one item. */
  origins: Context[];
  ctx: Context;
  /** Position of the first definition: decides substitution order. */
  index: number;
  /** Position of the latest definition or append. */
  visibility: number;
}

export interface MacroInfo {
  name: string;
  cond: string;
  ctx: Context;
  condCtx: Context;
  index: number;
  visibility: number;
}

/** A value of an exception's `fields`, `comps` or `values`: a scalar or a (nested) list. */
export interface ExceptionEntry {
  isList: boolean;
  item: string;
  items: ExceptionEntry[];
}

export interface ExceptionInfo {
  name: string;
  /** undefined when the key was absent. */
  fields?: ExceptionEntry;
  comps?: ExceptionEntry;
  values: ExceptionEntry[];
  ctx: Context;
}

export interface RuleInfo {
  name: string;
  cond: string;
  output: string;
  desc: string;
  priority: Priority;
  /** Canonical source: `aws_cloudtrail` for the CloudTrail aliases, else as written. */
  source: string;
  enabled: boolean;
  tags: Set<string>;
  exceptions: ExceptionInfo[];
  skipIfUnknownFilter: boolean;
  unknownSource: boolean;
  ctx: Context;
  condCtx: Context;
  outputCtx: Context;
  index: number;
  visibility: number;
  /** Keys beyond Falco's (stateful rules), kept for the engine's extensions. */
  extensions: Map<string, { node: YNode; ctx: Context }>;
}

/** The keys an append or replace override sets on an existing rule. */
export interface RuleUpdate {
  name: string;
  source?: string;
  cond?: string;
  output?: string;
  desc?: string;
  tags?: Set<string>;
  exceptions?: ExceptionInfo[];
  priority?: Priority;
  enabled?: boolean;
  skipIfUnknownFilter?: boolean;
  extensions?: Map<string, { node: YNode; ctx: Context }>;
  /** Replaced keys that only matter to syscall rules (capture, capture_duration, warn_evttypes). */
  ignoredKeys?: string[];
  ctx: Context;
  condCtx?: Context;
}

export function hasAnyValue(u: RuleUpdate): boolean {
  return (
    u.cond !== undefined ||
    u.output !== undefined ||
    u.desc !== undefined ||
    u.tags !== undefined ||
    u.exceptions !== undefined ||
    u.priority !== undefined ||
    u.enabled !== undefined ||
    u.skipIfUnknownFilter !== undefined ||
    (u.ignoredKeys !== undefined && u.ignoredKeys.length > 0) ||
    (u.extensions !== undefined && u.extensions.size > 0)
  );
}
