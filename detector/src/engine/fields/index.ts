import { CLOUDTRAIL_FIELDS } from "./cloudtrail";
import { EVENT_FIELDS } from "./event";
import { JSON_FIELDS } from "./json";
import { S3GUARD_FIELDS } from "./s3guard";
import { sysdigAliases } from "./sysdig";
import { didYouMean } from "../../suggest";
import { Extractor, FieldDef, FieldError } from "./types";

export * from "./types";

const PLUGIN_FIELDS = new Map([...CLOUDTRAIL_FIELDS, ...JSON_FIELDS, ...EVENT_FIELDS].map((f) => [f.name, f]));

/** Every field a CloudTrail rule can use, by exact name. */
export const FIELDS: ReadonlyMap<string, FieldDef> = new Map(
  [...PLUGIN_FIELDS.values(), ...sysdigAliases(PLUGIN_FIELDS), ...S3GUARD_FIELDS].map((f) => [f.name, f]),
);

export function isKnownField(name: string): boolean {
  return FIELDS.has(name);
}

/** ` (did you mean "s3.bucket"?)` for a misspelt field, else where the fields are listed. */
export function fieldHint(name: string): string {
  return didYouMean(name, FIELDS.keys()) || " ('s3guard fields' lists every field)";
}

/** Resolves a field reference to its definition and extractor; throws FieldError as libsinsp would. */
export function bindField(name: string, arg: string | undefined): { def: FieldDef; extract: Extractor } {
  const def = FIELDS.get(name);
  if (!def) throw new FieldError(`filter_check called with nonexistent field ${name}${fieldHint(name)}`);
  const text = arg === undefined ? name : `${name}[${arg}]`;
  if (arg !== undefined && def.arg === "none") {
    throw new FieldError(`filter '${text}': ${name} does not allow nor require an argument but one is provided: ${arg}`);
  }
  if (arg === undefined && def.arg === "key-required") {
    throw new FieldError(`filter '${text}': ${name} requires an argument but none provided`);
  }
  return { def, extract: def.bind(arg) };
}
