import { EVENT_ID, getScalarValue, parseEvents, SCALAR_STYLE, type Event, type ScalarEvent } from "js-yaml";
import { RULES_LIMITS } from "./budget";

/**
 * A YAML document as a tree of untyped nodes with source offsets, the way Falco's loader sees
 * rules files (yaml-cpp: every scalar is text, typed only when a key asks for a bool or a number).
 */
export type YNode = YScalar | YSeq | YMap;

export interface YScalar {
  kind: "scalar";
  value: string;
  /** Plain (unquoted, not block) scalars are the only ones that can be null. */
  plain: boolean;
  offset: number;
}

export interface YSeq {
  kind: "seq";
  items: YNode[];
  offset: number;
}

export interface YMap {
  kind: "map";
  entries: { key: YNode; value: YNode }[];
  offset: number;
}

export class YamlError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
  }
}

/** Parses every document of `text`; an empty document is `null`. */
export function parseYamlDocuments(text: string): (YNode | null)[] {
  let events: Event[];
  try {
    events = parseEvents(text, { maxDepth: 200 });
  } catch (e) {
    const err = e as { reason?: string; message: string; mark?: { position?: number } };
    throw new YamlError(err.reason ?? err.message.split("\n")[0], err.mark?.position ?? 0);
  }
  return new TreeBuilder(text, events).documents();
}

/**
 * Builds the tree; an alias shares the node it names. Readers walk the tree as if aliases were
 * copies, so the size of that walk is counted (per node, once) and bounded: a few lines of
 * aliases of aliases cannot stand for billions of nodes. An alias to a node still being built
 * (a cycle) is refused.
 */
class TreeBuilder {
  private i = 0;
  private anchors = new Map<string, YNode>();
  /** Nodes each node stands for once aliases are expanded; absent while it is being built. */
  private readonly sizes = new WeakMap<YNode, number>();

  constructor(
    private readonly text: string,
    private readonly events: Event[],
  ) {}

  documents(): (YNode | null)[] {
    const docs: (YNode | null)[] = [];
    while (this.i < this.events.length) {
      const e = this.events[this.i++];
      if (e.type !== EVENT_ID.DOCUMENT) continue;
      this.anchors.clear();
      const next = this.events[this.i];
      if (!next || next.type === EVENT_ID.POP) {
        this.i++;
        docs.push(null);
        continue;
      }
      const root = this.node();
      if ((this.sizes.get(root) ?? 0) > RULES_LIMITS.yamlNodes) {
        throw new YamlError(`document too large: more than ${RULES_LIMITS.yamlNodes} YAML nodes once its aliases are expanded; use fewer aliases`, root.offset);
      }
      docs.push(root);
      this.i++; // the document's POP
    }
    return docs;
  }

  private anchor(e: { anchorStart: number; anchorEnd: number }, node: YNode): YNode {
    if (e.anchorStart >= 0) this.anchors.set(this.text.slice(e.anchorStart, e.anchorEnd), node);
    return node;
  }

  /** Adds a child's expanded size to its parent's, refusing runaway growth as soon as it happens. */
  private grow(total: number, child: YNode): number {
    const n = total + (this.sizes.get(child) ?? 0);
    if (n > RULES_LIMITS.yamlNodes) {
      throw new YamlError(`document too large: more than ${RULES_LIMITS.yamlNodes} YAML nodes once its aliases are expanded; use fewer aliases`, child.offset);
    }
    return n;
  }

  private node(): YNode {
    const e = this.events[this.i++];
    switch (e.type) {
      case EVENT_ID.SCALAR: {
        const scalar = this.scalar(e);
        // A long scalar weighs as much as the nodes its text could have been.
        this.sizes.set(scalar, 1 + Math.floor(scalar.value.length / 16));
        return this.anchor(e, scalar);
      }
      case EVENT_ID.ALIAS: {
        const name = this.text.slice(e.anchorStart, e.anchorEnd);
        const target = this.anchors.get(name);
        if (!target) throw new YamlError(`unidentified alias "${name}"`, e.anchorStart);
        if (!this.sizes.has(target)) throw new YamlError(`alias "${name}" refers to a node that contains it (a cycle)`, e.anchorStart);
        return target;
      }
      case EVENT_ID.SEQUENCE: {
        const seq: YSeq = { kind: "seq", items: [], offset: e.start };
        this.anchor(e, seq);
        let size = 1;
        while (this.events[this.i].type !== EVENT_ID.POP) {
          const item = this.node();
          size = this.grow(size, item);
          seq.items.push(item);
        }
        this.i++;
        this.sizes.set(seq, size);
        return seq;
      }
      case EVENT_ID.MAPPING: {
        const map: YMap = { kind: "map", entries: [], offset: e.start };
        this.anchor(e, map);
        let size = 1;
        while (this.events[this.i].type !== EVENT_ID.POP) {
          const key = this.node();
          const value = this.node();
          size = this.grow(this.grow(size, key), value);
          map.entries.push({ key, value });
        }
        this.i++;
        this.sizes.set(map, size);
        return map;
      }
      default:
        throw new YamlError("unexpected YAML structure", 0);
    }
  }

  private scalar(e: ScalarEvent): YScalar {
    const value = e.valueStart < 0 ? "" : getScalarValue(this.text, e);
    return { kind: "scalar", value, plain: e.style === SCALAR_STYLE.PLAIN, offset: e.valueStart < 0 ? e.anchorStart : e.valueStart };
  }
}

// --- reading nodes as yaml-cpp would ----------------------------------------------------------

const NULLS = new Set(["", "~", "null", "Null", "NULL"]);

export function isNull(n: YNode | undefined): boolean {
  return n !== undefined && n.kind === "scalar" && n.plain && NULLS.has(n.value);
}

/** The value of `key` in a mapping (the first, if repeated), or undefined. */
export function get(map: YNode, key: string): YNode | undefined {
  if (map.kind !== "map") return undefined;
  for (const e of map.entries) if (e.key.kind === "scalar" && e.key.value === key) return e.value;
  return undefined;
}

export function keys(map: YMap): string[] {
  return map.entries.map((e) => (e.key.kind === "scalar" ? e.key.value : "<complex key>"));
}

const TRUE = new Set(["y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON"]);
const FALSE = new Set(["n", "N", "no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF"]);

/** yaml-cpp's bool conversion; undefined when the text is not a boolean. */
export function asBool(n: YScalar): boolean | undefined {
  if (TRUE.has(n.value)) return true;
  if (FALSE.has(n.value)) return false;
  return undefined;
}

/** yaml-cpp's unsigned conversion (decimal, or 0x/0o prefixed); undefined when it is not one. */
export function asUnsigned(n: YScalar): number | undefined {
  const s = n.value;
  if (/^\+?\d+$/.test(s)) return Number(s);
  if (/^0x[0-9a-fA-F]+$/.test(s)) return parseInt(s.slice(2), 16);
  if (/^0o[0-7]+$/.test(s)) return parseInt(s.slice(2), 8);
  return undefined;
}
