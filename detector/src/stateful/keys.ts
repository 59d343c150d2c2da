import { createHash } from "node:crypto";
import { exactJsonText, type EventContext } from "../engine";
import type { FieldRef } from "./types";

/** How events, groups and counted values become the keys state is kept under. */

function sha256(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}

const SAFE_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * The identity of a record, for counting it once however often it is delivered: its `eventID`
 * (CloudTrail's unique id), or a hash of its content when it has none.
 */
export function eventKey(ev: EventContext): string {
  const id = ev.record.eventID;
  if (typeof id === "string" && SAFE_ID.test(id)) return id;
  // Hashed with its numbers as written, so the same record read two ways has one key.
  return "h" + sha256(typeof id === "string" ? `eventID:${id}` : recordText(ev)).slice(0, 40);
}

/** The record as JSON with its numbers as written: natively when the parse already was exact. */
export function recordText(ev: EventContext): string {
  if (ev.numbersAsWritten) {
    try {
      return JSON.stringify(ev.record);
    } catch {
      // nested too deep for the native writer: ours keeps its own stack
    }
  }
  return exactJsonText(ev.record, () => ev.exact, 0, (n) => ev.numberMayDiffer(n));
}

/** A field value as text (lists as JSON), or null when the event does not have it. */
export function fieldText(f: FieldRef, ev: EventContext): string | null {
  const v = f.operand.extract(ev);
  if (v === undefined) return null;
  if (typeof v === "string") return v;
  if (Array.isArray(v)) return JSON.stringify(v);
  return String(v);
}

const memoKeys = new WeakMap<readonly FieldRef[], string>();

/**
 * The group of an event: the values of the fields as a JSON list (a missing value is `null`, a
 * value of its own). Kept on the event, since a rule's stages and other rules often group by the
 * same fields.
 */
export function groupKey(fields: readonly FieldRef[], ev: EventContext): string {
  if (fields.length === 0) return "[]";
  let key = memoKeys.get(fields);
  if (key === undefined) memoKeys.set(fields, (key = `s3guard.group:${fields.map((f) => f.text).join("\0")}`));
  const known = ev.recall(key);
  if (typeof known === "string") return known;
  // The JSON of the list of values, written value by value.
  let text = "[";
  for (let i = 0; i < fields.length; i++) text += (i > 0 ? "," : "") + JSON.stringify(fieldText(fields[i], ev));
  return ev.remember(key, text + "]");
}

/** The values of a group key, by field text, for alert details. */
export function groupValues(fields: readonly FieldRef[], key: string): Record<string, string | null> {
  const list = JSON.parse(key) as (string | null)[];
  const out: Record<string, string | null> = {};
  fields.forEach((f, i) => (out[f.text] = list[i] ?? null));
  return out;
}

/** Counted values longer than this are kept as a hash: state stays small whatever the values. */
const MAX_VALUE = 64;

/**
 * A `distinct` value as state keeps it: short values as they are, long ones as a SHA-256 prefix
 * (96 bits: two different values never count as one in practice, even chosen by an attacker).
 */
export function countedValue(text: string): string {
  if (text.length <= MAX_VALUE && text.charCodeAt(0) !== 0) return text;
  return "\0" + createHash("sha256").update(text).digest("base64url").slice(0, 16);
}

/** A key naming a rule's state: changing the rule's stateful keys starts it afresh. */
export function scopeOf(ruleName: string, specText: string): string {
  return sha256(`${ruleName}\0${specText}`).slice(0, 20);
}
