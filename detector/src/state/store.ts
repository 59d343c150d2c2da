/**
 * Where stateful rules keep their state: one document per rule, kind of state and group (the
 * values of the rule's `group_by`/`by` fields), which the rule logic (stateful/) reads, folds a
 * batch of matches into, and hands back to be saved. The store decides nothing: it loads, keeps
 * and saves documents, in memory or in a DynamoDB table shared by connector tasks.
 *
 * Saving is conditional: a document is written only if nobody wrote it since it was loaded. A
 * save that loses to another task reports the key, with the winner's document loaded in its
 * place; the caller folds its matches again into that one. So each decision is taken once.
 */

export interface DocKey {
  /** The rule and kind of state, e.g. `3f2a...c1/t`. */
  scope: string;
  /** The group: its field values as a JSON list. */
  group: string;
}

/** What every document has. Its other fields belong to the rule logic. */
export interface StateDoc {
  /** Kind of state: `t` threshold, `s` suppression, `q` sequence. */
  k: string;
  /** Latest event time folded in (microseconds). */
  m: number;
  /**
   * Records kept beside the document, by event key (a sequence's waiting followers): the rule
   * logic adds entries; a store may move them out of the document (DynamoDB writes each as its
   * own item) and gives them back through `records`.
   */
  recs?: Record<string, string>;
}

/** How to keep a document, as the rule logic judges it when saving. */
export interface DocMeta {
  /** Event time (microseconds) after which no record can need the document. */
  expiresAt: number;
  /**
   * How much losing the document would cost, from 0 (nothing under way) to 1 (a count close to its
   * threshold, an episode or a sequence step waiting): under memory pressure, low values go first.
   */
  keep: number;
  /** Approximate size in bytes. */
  bytes: number;
}

export interface StoreMetrics {
  /** Documents held in memory (the memory store's state, or the DynamoDB store's cache). */
  groups: number;
  /** Their approximate size. */
  bytes: number;
  /** Documents dropped to stay within the memory budget while their windows were still open. */
  evictedLive: number;
  /** Documents dropped because no record could need them any more. */
  expired: number;
  /** Saves that lost to another writer (the matches were folded again into the winner's document). */
  conflicts: number;
  /** Calls to the table (DynamoDB store). */
  reads: number;
  writes: number;
}

export function newStoreMetrics(): StoreMetrics {
  return { groups: 0, bytes: 0, evictedLive: 0, expired: 0, conflicts: 0, reads: 0, writes: 0 };
}

export interface StateStore {
  /** Makes the documents of these keys available to `get` (reads those it does not hold). */
  load(keys: readonly DocKey[]): Promise<void>;
  /** The document of a key, as loaded or last saved; undefined when the group has none. */
  get(key: DocKey): StateDoc | undefined;
  /**
   * Saves documents created or changed (in place) since `load`. Returns the keys whose save lost
   * to another writer: `get` then gives the winner's document, to fold the same matches into.
   */
  save(docs: readonly SaveRequest[]): Promise<DocKey[]>;
  /** Records kept beside a document (see StateDoc.recs). */
  records(key: DocKey, ids: readonly string[]): Promise<Map<string, string>>;
  /** The latest event time seen (microseconds): lets a store drop documents no record can need. */
  advanceTo(eventTimeUs: number): void;
  metrics(): StoreMetrics;
  /** Called when documents still in use are dropped to stay within memory: each is a window lost. */
  onEvicted?: (evicted: EvictionReport) => void;
  close?(): Promise<void>;
}

export interface SaveRequest {
  key: DocKey;
  doc: StateDoc;
  meta: DocMeta;
}

export interface EvictionReport {
  /** Documents dropped while their windows were open, by scope. */
  byScope: Map<string, number>;
  /** The budget, in bytes. */
  budget: number;
}
