/**
 * Where stateful rules keep their state: a small key-value model that both an in-process map
 * and a DynamoDB table provide with the same guarantees, so the rule logic is written once.
 *
 * Items live in partitions named by a scope (one per rule and rule kind) and a group (one per
 * value of the rule's `group_by`/`by` fields); inside a partition they are ordered by their sort
 * key. Every operation is atomic on one item, and reads see every write that completed before
 * them (DynamoDB: strongly consistent reads). Nothing more is assumed: no transactions.
 */

export interface Partition {
  /** The rule and kind of state, e.g. `3f2a...c1/t`. */
  scope: string;
  /** A hash of the group's field values. */
  group: string;
}

export interface StateItem {
  /** Sort key inside the partition. */
  sk: string;
  /**
   * Event time, in epoch seconds, after which no record can need the item any more (its window
   * and the lateness allowance have passed). Stores drop items some time after it.
   */
  expiresAt: number;
  /** Text the rule logic keeps in the item (a field value, a JSON document, a record). */
  data?: string;
  /** For items written with `putIfVersion`: incremented on every write. */
  version?: number;
}

export interface RangeOptions {
  /** Largest sort key first. */
  descending?: boolean;
  /** At most this many items. */
  limit: number;
}

export interface StoreMetrics {
  /** Partitions dropped to respect the cap on groups per rule (memory store). */
  evictedGroups: number;
  /** Items dropped to respect the cap on items per group (memory store). */
  evictedItems: number;
  /** Conditional writes that lost to a concurrent writer. */
  conflicts: number;
}

export interface StateStore {
  /** Writes the item unless one with its key exists; false when it existed. */
  putIfAbsent(p: Partition, item: StateItem): Promise<boolean>;
  /** The item with this sort key, read consistently. */
  get(p: Partition, sk: string): Promise<StateItem | undefined>;
  /**
   * Writes the item (whose `version` must be `expected + 1`, or 1 for a new item) only if the
   * stored item still has version `expected` (`undefined`: no stored item). False when another
   * writer got there first: the caller reads again and retries (optimistic concurrency).
   */
  putIfVersion(p: Partition, item: StateItem, expected: number | undefined): Promise<boolean>;
  /** Items with `from <= sk <= to`, in sort-key order (or reversed), read consistently. */
  range(p: Partition, from: string, to: string, options: RangeOptions): Promise<StateItem[]>;
  /** The latest event time seen, in epoch seconds: lets an in-process store drop expired items. */
  advanceTo?(eventTimeSeconds: number): void;
  metrics(): StoreMetrics;
  /** Releases connections. */
  close?(): Promise<void>;
}
