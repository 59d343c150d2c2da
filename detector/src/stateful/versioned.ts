import type { Partition, StateStore } from "../state";

/**
 * Read-modify-write of one document item, safe when several tasks write it at once: the write is
 * conditional on the version that was read, and a writer that lost re-reads and decides again
 * from what the winner wrote. Whatever a decision implies (an alert) is acted on only by the
 * writer whose write succeeded, so each decision is taken exactly once across tasks.
 */

export interface Decision<T> {
  /** What the caller learns; acted on only once the write (if any) succeeded. */
  result: T;
  /** The new document, or undefined when nothing needs writing. */
  write?: { data: string; expiresAt: number };
}

/** Attempts before giving up (the record is then retried by the caller's redelivery). */
const MAX_ATTEMPTS = 25;

export async function updateDocument<T>(
  store: StateStore,
  p: Partition,
  sk: string,
  decide: (data: string | undefined) => Decision<T>,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    const current = await store.get(p, sk);
    const d = decide(current?.data);
    if (!d.write) return d.result;
    const version = (current?.version ?? 0) + 1;
    if (await store.putIfVersion(p, { sk, expiresAt: d.write.expiresAt, data: d.write.data, version }, current?.version)) return d.result;
    if (attempt >= MAX_ATTEMPTS) throw new Error(`state item ${p.scope}#${p.group} ${sk} kept changing under ${MAX_ATTEMPTS} attempts to update it`);
    // Contention means another task is writing the same group right now: step aside briefly.
    await new Promise((r) => setTimeout(r, Math.random() * 5 * Math.min(attempt, 10)));
  }
}
