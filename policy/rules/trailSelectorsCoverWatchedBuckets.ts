import { WatchedBucket } from "../intent";
import { ofType, StackResource, types, Violation } from "../resources";

export interface TrailSelectorsCoverWatchedBucketsOptions {
  readonly watchedBuckets: readonly WatchedBucket[];
}

type Access = "read" | "write";

/** What one advanced event selector records of S3 objects, reduced to what coverage needs. */
interface ObjectSelector {
  /** Which accesses it records: `readOnly` "true" is reads, "false" writes, absent both. */
  readonly accesses: readonly Access[];
  /** Object-key ARN prefixes (the part after `arn:<partition>:s3:::`) it records; undefined means every object. */
  readonly prefixes?: readonly string[];
}

const objectArn = /^arn:[^:]+:s3:::(.*)$/;

/**
 * Reads a selector as a recorder of S3 object events, or undefined when it is not one or records only part of what
 * it names: any field or operator beyond eventCategory/resources.type/readOnly equals and resources.ARN startsWith
 * (eventName, notStartsWith, ...) narrows it, and a narrowed selector is not counted as covering anything.
 */
function objectSelector(selector: any): ObjectSelector | undefined {
  const fields: any[] = selector?.fieldSelectors ?? [];
  const field = (name: string) => fields.filter((f) => f?.field === name);
  const only = (f: any, operator: string) =>
    // Engine state lists unset operators as null or []; only the operator named may hold values.
    Object.keys(f).every((k) => k === "field" || k === operator || f[k] === undefined || f[k] === null || (Array.isArray(f[k]) && f[k].length === 0));
  const equalsOnly = (name: string, values: string[]) =>
    field(name).length === 1 && only(field(name)[0], "equals") && JSON.stringify(field(name)[0].equals) === JSON.stringify(values);
  if (!equalsOnly("eventCategory", ["Data"]) || !equalsOnly("resources.type", ["AWS::S3::Object"])) {
    return undefined;
  }
  if (fields.some((f) => !["eventCategory", "resources.type", "readOnly", "resources.ARN"].includes(f?.field))) {
    return undefined;
  }
  let accesses: Access[] = ["read", "write"];
  if (field("readOnly").length > 0) {
    if (equalsOnly("readOnly", ["true"])) accesses = ["read"];
    else if (equalsOnly("readOnly", ["false"])) accesses = ["write"];
    else return undefined;
  }
  const arns = field("resources.ARN");
  if (arns.length === 0) {
    return { accesses };
  }
  if (arns.length > 1 || !only(arns[0], "startsWiths")) {
    return undefined;
  }
  const prefixes = (arns[0].startsWiths as unknown[])
    .map((v) => (typeof v === "string" ? objectArn.exec(v)?.[1] : undefined))
    .filter((v): v is string => v !== undefined);
  return { accesses, prefixes };
}

function records(selectors: readonly ObjectSelector[], access: Access, key: string): boolean {
  return selectors.some((s) => s.accesses.includes(access) && (s.prefixes === undefined || s.prefixes.some((p) => key.startsWith(p))));
}

/** The object-key ARN suffixes a watched bucket's events must match: the bucket, or each of its prefixes. */
function keysOf(bucket: WatchedBucket): string[] {
  return bucket.prefixes && bucket.prefixes.length > 0 ? bucket.prefixes.map((p) => `${bucket.name}/${p}`) : [`${bucket.name}/`];
}

/**
 * The trails' advanced event selectors record every watched bucket (or each of its prefixes) in every access
 * configured for it, and do not record the trail's own log bucket, where every log delivery would be logged again.
 */
export default function trailSelectorsCoverWatchedBuckets(
  stack: readonly StackResource[],
  options: TrailSelectorsCoverWatchedBucketsOptions,
): Violation[] {
  const trails = ofType(stack, types.trail);
  if (trails.length === 0) {
    return options.watchedBuckets.length === 0
      ? []
      : [{ message: "This stack watches buckets but declares no CloudTrail trail, so nothing records their data events. Restore the trail (s3guard's AuditTrail)." }];
  }
  const selectors = trails
    .flatMap((t) => (t.props.advancedEventSelectors ?? []) as unknown[])
    .map(objectSelector)
    .filter((s): s is ObjectSelector => s !== undefined);
  const violations: Violation[] = [];
  for (const bucket of options.watchedBuckets) {
    for (const access of (["read", "write"] as const).filter((a) => bucket[a])) {
      const missing = keysOf(bucket).filter((key) => !records(selectors, access, key));
      if (missing.length > 0) {
        violations.push({
          urn: trails[0].urn,
          message:
            `Watched bucket "${bucket.name}" is configured for ${access} events, but no advanced event selector records ${access}s of ` +
            `${missing.map((k) => `arn:aws:s3:::${k}`).join(", ")}. Restore a selector with eventCategory equals ["Data"], ` +
            `resources.type equals ["AWS::S3::Object"], readOnly equals ["${access === "read"}"] (or no readOnly) and ` +
            "resources.ARN startsWith that ARN; s3guard derives these selectors from s3guard:watchedBuckets.",
        });
      }
    }
  }
  for (const trail of trails) {
    const logBucket = trail.props.s3BucketName;
    if (typeof logBucket === "string" && (records(selectors, "read", `${logBucket}/`) || records(selectors, "write", `${logBucket}/`))) {
      violations.push({
        urn: trail.urn,
        message:
          `The trail's selectors record data events of its own log bucket "${logBucket}", so every log delivery is logged and billed again. ` +
          "Remove the log bucket from s3guard:watchedBuckets (and from any selector that records every bucket).",
      });
    }
  }
  return violations;
}
