/**
 * The task sizes Fargate offers (Linux, platform 1.4.0): each CPU value allows a fixed set of
 * memory values. Any other pair fails at `pulumi up` with "No Fargate configuration exists for given
 * values" (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task-cpu-memory-error.html).
 */

interface MemoryRange {
  readonly min: number;
  readonly max: number;
  readonly step: number;
}

const FARGATE_MEMORY: ReadonlyMap<number, readonly number[] | MemoryRange> = new Map<
  number,
  readonly number[] | MemoryRange
>([
  [256, [512, 1024, 2048]],
  [512, [1024, 2048, 3072, 4096]],
  [1024, [2048, 3072, 4096, 5120, 6144, 7168, 8192]],
  [2048, { min: 4096, max: 16384, step: 1024 }],
  [4096, { min: 8192, max: 30720, step: 1024 }],
  [8192, { min: 16384, max: 61440, step: 4096 }],
  [16384, { min: 32768, max: 122880, step: 8192 }],
]);

/** CPU units Fargate accepts for a task. */
export const FARGATE_CPUS: readonly number[] = [...FARGATE_MEMORY.keys()];

function isRange(m: readonly number[] | MemoryRange): m is MemoryRange {
  return !Array.isArray(m);
}

/** Every memory value (MiB) Fargate offers with `cpu`, or `undefined` when `cpu` is not a Fargate size. */
export function fargateMemoryChoices(cpu: number): number[] | undefined {
  const memory = FARGATE_MEMORY.get(cpu);
  if (memory === undefined) {
    return undefined;
  }
  if (!isRange(memory)) {
    return [...memory];
  }
  const values: number[] = [];
  for (let m = memory.min; m <= memory.max; m += memory.step) {
    values.push(m);
  }
  return values;
}

/** Whether Fargate runs a task with `cpu` units and `memory` MiB. */
export function isFargateSize(cpu: number, memory: number): boolean {
  return fargateMemoryChoices(cpu)?.includes(memory) ?? false;
}

/** The memory values for `cpu` as a person would say them: "512, 1024 or 2048", "4096 to 16384 in steps of 1024". */
export function describeMemoryChoices(cpu: number): string {
  const memory = FARGATE_MEMORY.get(cpu);
  if (memory === undefined) {
    return `no memory value (cpu must be one of ${FARGATE_CPUS.join(", ")})`;
  }
  if (isRange(memory)) {
    return `${memory.min} to ${memory.max} in steps of ${memory.step}`;
  }
  return `${memory.slice(0, -1).join(", ")} or ${memory[memory.length - 1]}`;
}
