import type { EventContext } from "../event";

/** `ipnet`: an IP address compared against networks (CIDR blocks), as libsinsp's `fd.cnet`. */
export type FieldType = "string" | "uint64" | "bool" | "ipnet";

/** An extracted value: strings, unsigned 64-bit integers, booleans, or a list of strings. */
export type FieldValue = string | bigint | boolean | string[];

/** Reads one field from an event; `undefined` means the field is missing on this event. */
export type Extractor = (ev: EventContext) => FieldValue | undefined;

/** How a field takes an argument in brackets. */
export type FieldArg = "none" | "key-required" | "index-optional";

export interface FieldDef {
  name: string;
  type: FieldType;
  /** Multi-valued (only `in`, `intersects` and `exists` apply). */
  list?: boolean;
  arg: FieldArg;
  /** Rendered as zero-padded nine-digit decimals (nanosecond fractions), as libsinsp prints them. */
  padded?: boolean;
  /** One line for `s3guard fields` and documentation. */
  desc: string;
  /** For another product's name of a field (Sysdig's `aws.*`): the field it reads like. */
  aliasOf?: string;
  /** Builds the extractor, given the (already validated) argument. */
  bind(arg: string | undefined): Extractor;
}

/** A field error at compile time (bad name or argument), reported as a load error. */
export class FieldError extends Error {}

// --- helpers shared by the field tables ---------------------------------------------------------

export type Json = unknown;

/** Object member by key, as fastjson's Get: absent unless `o` is an object that has the key. */
export function member(o: Json, key: string): Json {
  if (o === null || typeof o !== "object" || Array.isArray(o)) return undefined;
  const v = (o as Record<string, Json>)[key];
  // One lookup decides, but for what an object inherits (Object.prototype's functions and
  // `__proto__`): a parsed record holds no functions.
  if (v === undefined || (typeof v !== "function" && key !== "__proto__")) return v;
  return Object.prototype.hasOwnProperty.call(o, key) ? v : undefined;
}

/** Follows object keys from the record; undefined when any step is missing. */
export function path(o: Json, keys: readonly string[]): Json {
  let v = o;
  for (let i = 0; i < keys.length; i++) {
    v = member(v, keys[i]);
    if (v === undefined) return undefined;
  }
  return v;
}

/** The plugin's rule for plain string fields: present if the path exists; non-strings read as "". */
export function asStr(v: Json): string | undefined {
  if (v === undefined) return undefined;
  return typeof v === "string" ? v : "";
}
