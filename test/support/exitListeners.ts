/**
 * Pulumi's runtime registers a process "exit" listener when it is loaded. Jest loads it afresh for
 * every test file in a worker, and the Pulumi program helpers for every run (a fresh module
 * registry each): the listeners would pile up past Node's limit of ten (MaxListenersExceededWarning)
 * and keep every finished run's modules alive. What a file or a run added is removed when it ends.
 */
export function exitListeners(): ReadonlySet<(...args: unknown[]) => void> {
  return new Set(process.listeners("exit") as ((...args: unknown[]) => void)[]);
}

export function removeExitListenersAddedSince(before: ReadonlySet<(...args: unknown[]) => void>): void {
  for (const listener of process.listeners("exit")) if (!before.has(listener as (...args: unknown[]) => void)) process.removeListener("exit", listener);
}
