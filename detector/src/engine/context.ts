import { inNetwork, IpNetwork, parseIpAddress, parseIpNetwork } from "./condition/operators/ipnet";
import { member, path } from "./fields/types";

/**
 * The lists that describe the deployment. The s3guard Pulumi program fills them (a context file
 * in the rules bucket appends to them); the engine reads them for the `s3guard.*` context fields,
 * so they are never reported as unused.
 */
export const CONTEXT_LISTS = {
  logBuckets: "s3guard_cloudtrail_log_buckets",
  watchedBuckets: "s3guard_watched_buckets",
  accountIds: "s3guard_account_ids",
  organizationIds: "s3guard_organization_ids",
  trustedNetworks: "s3guard_trusted_networks",
} as const;

export type ContextLists = { [K in keyof typeof CONTEXT_LISTS]?: readonly string[] };

/** Learned log buckets kept at most; a stream naming more is not a deployment, it is noise. */
export const MAX_LEARNED_LOG_BUCKETS = 1000;

/**
 * What the engine knows about the deployment at run time, for the `s3guard.*` context fields.
 * Lists are substituted into conditions as text when the rules load, so a fact that records reveal
 * later (the bucket a CreateTrail names) cannot reach a list; it reaches conditions through a
 * field that reads this. Pure: fed only by the rules' lists and the records evaluated.
 */
export class DeploymentContext {
  readonly lists: { readonly [K in keyof typeof CONTEXT_LISTS]: readonly string[] };
  private readonly logBuckets: ReadonlySet<string>;
  private readonly watched: ReadonlySet<string>;
  private readonly learned = new Set<string>();
  private readonly trusted: readonly IpNetwork[];
  /** CreateTrail/UpdateTrail buckets not kept because the learned set was full. */
  droppedLogBuckets = 0;

  /** Throws `ContextListError` for a trusted network that is not an address or CIDR block. */
  constructor(lists: ContextLists = {}) {
    const items = (k: keyof typeof CONTEXT_LISTS) => (lists[k] ?? []).map(unquote);
    this.lists = {
      logBuckets: items("logBuckets"),
      watchedBuckets: items("watchedBuckets"),
      accountIds: items("accountIds"),
      organizationIds: items("organizationIds"),
      trustedNetworks: items("trustedNetworks"),
    };
    this.logBuckets = new Set(this.lists.logBuckets);
    this.watched = new Set(this.lists.watchedBuckets);
    const networks: IpNetwork[] = [];
    for (const item of this.lists.trustedNetworks) {
      const n = parseIpNetwork(item);
      if ("error" in n) throw new ContextListError(CONTEXT_LISTS.trustedNetworks, item, n.error);
      networks.push(n);
    }
    this.trusted = networks;
  }

  /** True when CloudTrail delivers log files to the bucket: listed, or named by a trail seen so far. */
  isLogBucket(bucket: string): boolean {
    return this.logBuckets.has(bucket) || this.learned.has(bucket);
  }

  isWatchedBucket(bucket: string): boolean {
    return this.watched.has(bucket);
  }

  /** Whether an address is in the trusted networks; undefined when none are listed or it is no address. */
  isTrustedAddress(address: string): boolean | undefined {
    if (this.trusted.length === 0) return undefined;
    const a = parseIpAddress(address);
    return a === undefined ? undefined : this.trusted.some((n) => inNetwork(a, n));
  }

  /** Replaces the learned buckets (an evaluator taking over part of a run from another). */
  resetLearned(buckets: readonly string[]): void {
    this.learned.clear();
    for (const b of buckets) this.learned.add(b);
  }

  /** Buckets learned from CreateTrail/UpdateTrail records, in the order first seen. */
  learnedLogBuckets(): string[] {
    return [...this.learned];
  }

  /**
   * Learns from a record before the rules see it: a successful CreateTrail or UpdateTrail names
   * the bucket the trail delivers to (requestParameters.s3BucketName), so the very record that
   * points a trail at a bucket already counts it as a log bucket.
   */
  observe(record: Record<string, unknown>): void {
    const name = record.eventName;
    if (name !== "CreateTrail" && name !== "UpdateTrail") return;
    if (record.eventSource !== "cloudtrail.amazonaws.com") return;
    const error = member(record, "errorCode");
    if (error !== undefined && error !== null && error !== "") return;
    const bucket = path(record, ["requestParameters", "s3BucketName"]);
    if (typeof bucket !== "string" || bucket === "" || this.isLogBucket(bucket)) return;
    if (this.learned.size >= MAX_LEARNED_LOG_BUCKETS) {
      this.droppedLogBuckets++;
      return;
    }
    this.learned.add(bucket);
  }
}

/** A context list holds an item the engine cannot use. */
export class ContextListError extends Error {
  constructor(
    readonly list: string,
    readonly item: string,
    readonly problem: string,
  ) {
    super(`list ${list}: ${problem}`);
  }
}

/** List items keep the quotes they were written with when they hold a space; names never do. */
function unquote(item: string): string {
  return item.length >= 2 && (item[0] === '"' || item[0] === "'") && item[item.length - 1] === item[0] ? item.slice(1, -1) : item;
}
