import { PolicyConfigJSONSchema } from "@pulumi/policy/schema";

/**
 * What the stack is meant to watch. A policy pack cannot read the stack's configuration, so the watched buckets
 * reach the pack as policy configuration: `policy/bin/policy-config.js` copies `s3guard:watchedBuckets` from
 * `pulumi config --json` into the config of every policy that declares `watchedBucketsSchema`. The list therefore
 * comes from the stack's settings, not from the program the policies check.
 */
export interface WatchedBucket {
  readonly name: string;
  readonly read: boolean;
  readonly write: boolean;
  /** Object key prefixes to watch; absent or empty means the whole bucket. */
  readonly prefixes?: readonly string[];
}

/** The policy-config property that carries the watched buckets, as a JSON schema the Pulumi CLI checks. */
export const watchedBucketsSchema: PolicyConfigJSONSchema = {
  type: "array",
  description: "s3guard:watchedBuckets of the stack, copied by policy/bin/policy-config.js.",
  items: {
    type: "object",
    properties: {
      name: { type: "string" },
      read: { type: "boolean" },
      write: { type: "boolean" },
      prefixes: { type: "array", items: { type: "string" } },
    },
    required: ["name"],
  },
};

const howToGenerate =
  "Generate the policy config from the stack's settings: " +
  "`pulumi config --json --stack <stack> | node policy/bin/policy-config.js > policy-config.json`, " +
  "then run `pulumi preview --policy-pack policy --policy-pack-config policy-config.json`.";

/**
 * Reads the watched buckets from a policy's config. Returns the buckets, or a message saying what is missing or
 * malformed: the policies fail closed rather than pass a stack whose intent they cannot see.
 */
export function readWatchedBuckets(config: { watchedBuckets?: unknown }): WatchedBucket[] | string {
  const raw = config.watchedBuckets;
  if (raw === undefined) {
    return `This policy's config has no watchedBuckets, so it cannot tell which buckets this stack must protect. ${howToGenerate}`;
  }
  if (!Array.isArray(raw)) {
    return `watchedBuckets in this policy's config must be a list of {name, read, write, prefixes?}, got ${JSON.stringify(raw)}. ${howToGenerate}`;
  }
  const problems: string[] = [];
  const buckets: WatchedBucket[] = [];
  raw.forEach((item: unknown, i: number) => {
    const b = item as Record<string, unknown> | null;
    if (typeof b !== "object" || b === null || typeof b.name !== "string" || b.name === "") {
      problems.push(`watchedBuckets[${i}] has no bucket name`);
      return;
    }
    const prefixes = b.prefixes;
    if (prefixes !== undefined && !(Array.isArray(prefixes) && prefixes.every((p) => typeof p === "string"))) {
      problems.push(`watchedBuckets[${i}].prefixes must be a list of strings`);
      return;
    }
    buckets.push({ name: b.name, read: b.read === true, write: b.write === true, prefixes: prefixes as string[] | undefined });
  });
  return problems.length > 0 ? `${problems.join("; ")}. ${howToGenerate}` : buckets;
}
