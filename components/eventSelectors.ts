import { MAX_SELECTOR_VALUES } from "./awsLimits";
import { Access, ACCESS_MODES, ManagementEvents } from "./vocabulary";

/**
 * Watched buckets -> CloudTrail advanced event selectors. Pure, deterministic and limit-checked:
 * - buckets are grouped by access, so there are at most three data selectors whatever the number
 *   of buckets (read+write: no `readOnly`; read: `readOnly = "true"`; write: `readOnly = "false"`);
 * - each bucket (or each of its prefixes) costs one `resources.ARN` value `arn:<p>:s3:::<bucket>/[prefix]`
 *   matched with StartsWith; the trailing `/` keeps bucket `logs` from matching `logs-archive`;
 * - no operator ever has an empty list (CloudTrail and the provider reject it), so a group without
 *   buckets has no selector at all;
 * - field selectors are emitted in alphabetical order, values sorted, so previews stay clean.
 */

/** The fields s3guard uses; CloudTrail accepts only `Equals` for all but `resources.ARN`. */
export type SelectorField = "eventCategory" | "readOnly" | "resources.ARN" | "resources.type";

/** Shaped like `aws.types.input.cloudtrail.TrailAdvancedEventSelectorFieldSelector`. */
export interface FieldSelector {
  readonly field: SelectorField;
  readonly equals?: string[];
  readonly startsWiths?: string[];
}

/** Shaped like `aws.types.input.cloudtrail.TrailAdvancedEventSelector`. */
export interface AdvancedEventSelector {
  readonly name: string;
  readonly fieldSelectors: FieldSelector[];
}

/** A bucket as the selector builder sees it. */
export interface SelectorBucket {
  readonly name: string;
  readonly access: Access;
  /** Object key prefixes, each ending in `/`; absent or empty means the whole bucket. */
  readonly prefixes?: readonly string[];
}

export interface EventSelectorInput {
  readonly buckets: readonly SelectorBucket[];
  readonly managementEvents: ManagementEvents;
}

/** Thrown when the selectors would need more values than a trail accepts. */
export class SelectorLimitError extends Error {
  readonly code = "SELECTOR_LIMIT" as const;

  constructor(readonly valueCount: number) {
    super(
      `The watched buckets need ${valueCount} advanced event selector values; a trail accepts at most ${MAX_SELECTOR_VALUES}. ` +
        "Watch fewer buckets or prefixes, or split them across stacks.",
    );
    this.name = "SelectorLimitError";
  }
}

const S3_OBJECT = "AWS::S3::Object";

const GROUP_NAMES: Record<Access, string> = {
  "read-write": "S3 object reads and writes on watched buckets",
  read: "S3 object reads on watched buckets",
  write: "S3 object writes on watched buckets",
};

const READ_ONLY: Record<Access, string | undefined> = {
  "read-write": undefined,
  read: "true",
  write: "false",
};

/**
 * The `resources.ARN` StartsWith values of one bucket: its object ARN prefix, or one per key prefix.
 * Always ends with `/`, so it matches no other bucket that merely shares leading characters.
 */
export function objectArnPrefixes(partition: string, bucket: SelectorBucket): string[] {
  const root = `arn:${partition}:s3:::${bucket.name}/`;
  const prefixes = bucket.prefixes ?? [];
  return prefixes.length === 0 ? [root] : prefixes.map((p) => `${root}${p}`);
}

function managementSelector(mode: ManagementEvents): AdvancedEventSelector | undefined {
  if (mode === "none") {
    return undefined;
  }
  const fieldSelectors: FieldSelector[] = [{ field: "eventCategory", equals: ["Management"] }];
  if (mode === "write") {
    fieldSelectors.push({ field: "readOnly", equals: ["false"] });
  }
  return { name: mode === "write" ? "Management write events" : "Management events", fieldSelectors };
}

function dataSelector(access: Access, arns: string[]): AdvancedEventSelector {
  const readOnly = READ_ONLY[access];
  const fieldSelectors: FieldSelector[] = [{ field: "eventCategory", equals: ["Data"] }];
  if (readOnly !== undefined) {
    fieldSelectors.push({ field: "readOnly", equals: [readOnly] });
  }
  fieldSelectors.push({ field: "resources.ARN", startsWiths: arns });
  fieldSelectors.push({ field: "resources.type", equals: [S3_OBJECT] });
  return { name: GROUP_NAMES[access], fieldSelectors };
}

/** The selectors for `input`, without checking the trail's value limit. */
export function composeEventSelectors(input: EventSelectorInput, partition = "aws"): AdvancedEventSelector[] {
  const selectors: AdvancedEventSelector[] = [];
  const management = managementSelector(input.managementEvents);
  if (management !== undefined) {
    selectors.push(management);
  }
  for (const access of ACCESS_MODES) {
    const arns = input.buckets
      .filter((b) => b.access === access)
      .flatMap((b) => objectArnPrefixes(partition, b));
    const unique = [...new Set(arns)].sort();
    if (unique.length > 0) {
      selectors.push(dataSelector(access, unique));
    }
  }
  return selectors;
}

/** Values across all conditions of all selectors: what CloudTrail counts against its limit of 500. */
export function countSelectorValues(selectors: readonly AdvancedEventSelector[]): number {
  return selectors
    .flatMap((s) => s.fieldSelectors)
    .reduce((sum, f) => sum + (f.equals?.length ?? 0) + (f.startsWiths?.length ?? 0), 0);
}

/**
 * The advanced event selectors that record exactly the watched buckets' object calls (and management
 * events when asked). Throws `SelectorLimitError` when CloudTrail would reject them.
 */
export function buildEventSelectors(input: EventSelectorInput, partition = "aws"): AdvancedEventSelector[] {
  const selectors = composeEventSelectors(input, partition);
  const count = countSelectorValues(selectors);
  if (count > MAX_SELECTOR_VALUES) {
    throw new SelectorLimitError(count);
  }
  return selectors;
}
