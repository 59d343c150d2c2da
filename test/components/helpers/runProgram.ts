/**
 * Runs Pulumi code under `pulumi.runtime.setMocks`, in a fresh module registry each time, and records
 * everything the engine would have been told: each resource's inputs and also its parent, explicit
 * `dependsOn`, `ignoreChanges`, `retainOnDelete` and transforms, which mocks alone do not show.
 */
import * as path from "path";
import type * as Pulumi from "@pulumi/pulumi";
import { fakeInvoke, fakeResource } from "./mockCloud";

export const REPO_ROOT = path.resolve(__dirname, "../../..");

export interface RecordedResource {
  readonly type: string;
  readonly name: string;
  /** What the program sent as inputs (Outputs resolved; a secret stays wrapped, see `isSecretValue`). */
  readonly inputs: Record<string, any>;
  readonly parentUrn: string;
  readonly urn: string;
  /** URNs this resource depends on through `dependsOn` (not through its inputs). */
  readonly explicitDependencies: string[];
  /** URNs of the resources whose outputs flow into this resource's inputs. */
  readonly inputDependencies: string[];
  readonly ignoreChanges: string[];
  readonly retainOnDelete: boolean;
  readonly transforms: Pulumi.ResourceTransform[];
}

export interface ProgramRun {
  readonly resources: RecordedResource[];
  readonly outputs: Record<string, unknown>;
  readonly invokes: string[];
  /** What the program threw while it was loading, if anything. */
  readonly error?: unknown;
}

/** Stack YAML `config:` values as the Pulumi engine hands them to a program: strings, JSON for structures. */
export function engineConfig(config: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(config).map(([key, value]) => [key, typeof value === "object" ? JSON.stringify(value) : String(value)]),
  );
}

/** Reads a stack file with the YAML parser of `@pulumi/pulumi`'s own dependencies. */
export function readStackFile(file: string): Record<string, unknown> {
  const pulumiDir = path.dirname(require.resolve("@pulumi/pulumi/package.json"));
  const yaml = require(require.resolve("js-yaml", { paths: [pulumiDir] })) as { load(text: string): unknown };
  const text = require("fs").readFileSync(path.join(REPO_ROOT, file), "utf8") as string;
  return (yaml.load(text) as { config: Record<string, unknown> }).config;
}

interface Pending {
  type: string;
  name: string;
  parentUrn: string;
  dependencies: string[];
  propertyDependencies: Set<string>;
  ignoreChanges: string[];
  retainOnDelete: boolean;
  transforms: Pulumi.ResourceTransform[];
  urn: string;
}

/**
 * Runs `load` (which requires a program module) against mocks with `config` as the stack config,
 * then waits until every resource is registered and every export is resolved.
 */
export async function runProgram(
  config: Record<string, unknown>,
  load: () => Record<string, unknown>,
  options: RunOptions = {},
): Promise<ProgramRun> {
  let run: ProgramRun | undefined;
  const exitListeners = new Set(process.listeners("exit"));
  await jest.isolateModulesAsync(async () => {
    const pulumi: typeof Pulumi = require("@pulumi/pulumi");
    const settings = require("@pulumi/pulumi/runtime/settings") as { waitForRPCs(): Promise<void> };
    const inputs = new Map<string, Record<string, any>>();
    const invokes: string[] = [];
    await pulumi.runtime.setMocks(
      {
        newResource: (args) => {
          inputs.set(`${args.type}::${args.name}`, args.inputs);
          return fakeResource(args.type, args.name, args.inputs, args.id);
        },
        call: (args) => {
          invokes.push(args.token);
          return fakeInvoke(args.token, args.inputs);
        },
      },
      options.project ?? "s3guard",
      options.stack ?? "dev",
      options.preview ?? false,
    );
    const pending = recordRegistrations(pulumi);
    pulumi.runtime.setAllConfig(engineConfig(config), options.secretKeys);

    let error: unknown;
    let exports: Record<string, unknown> = {};
    try {
      exports = load();
    } catch (e) {
      error = e;
    }
    await settings.waitForRPCs();
    const outputs: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(exports)) {
      outputs[key] = await resolve(pulumi, value);
    }
    await settings.waitForRPCs();
    const resources = pending.map((p) => ({
      type: p.type,
      name: p.name,
      inputs: inputs.get(`${p.type}::${p.name}`) ?? {},
      parentUrn: p.parentUrn,
      urn: p.urn,
      explicitDependencies: p.dependencies.filter((d) => !p.propertyDependencies.has(d)),
      inputDependencies: [...p.propertyDependencies],
      ignoreChanges: p.ignoreChanges,
      retainOnDelete: p.retainOnDelete,
      transforms: p.transforms,
    }));
    run = { resources, outputs, invokes, ...(error !== undefined ? { error } : {}) };
  });
  forgetExitListeners(exitListeners);
  return run as unknown as ProgramRun;
}

export interface RunOptions {
  readonly stack?: string;
  readonly project?: string;
  readonly preview?: boolean;
  /** Config keys the engine marks secret, as `pulumi config set --secret` (on any path under them) does. */
  readonly secretKeys?: string[];
}

/** Runs the real `index.ts` with `config` as the stack configuration. */
export function runIndex(config: Record<string, unknown>, options: Omit<RunOptions, "project"> = {}): Promise<ProgramRun> {
  return runProgram(config, () => require(path.join(REPO_ROOT, "index.ts")), options);
}

const SECRET_SIGNATURE = { key: "4dabf18193072939515e22adb298388d", value: "1b47061264138c4ac30d75fd1eb44270" };

/** Whether a recorded input value is a Pulumi secret (the engine's wrapper around its value). */
export function isSecretValue(value: unknown): value is { value: unknown } {
  return typeof value === "object" && value !== null && (value as Record<string, unknown>)[SECRET_SIGNATURE.key] === SECRET_SIGNATURE.value;
}

/**
 * Every place in the recorded inputs where `text` occurs outside a secret, as `<type> <name>: <path>`.
 * A value inside a secret is encrypted in the state and redacted in previews, so it does not count.
 */
export function plainOccurrences(run: ProgramRun, text: string): string[] {
  const found: string[] = [];
  const walk = (value: unknown, where: string): void => {
    if (isSecretValue(value)) {
      return;
    }
    if (typeof value === "string") {
      if (value.includes(text)) {
        found.push(where);
      }
    } else if (Array.isArray(value)) {
      value.forEach((v, i) => walk(v, `${where}[${i}]`));
    } else if (typeof value === "object" && value !== null) {
      Object.entries(value).forEach(([k, v]) => walk(v, `${where}.${k}`));
    }
  };
  for (const r of run.resources) {
    walk(r.inputs, `${r.type} ${r.name}: inputs`);
  }
  walk(run.outputs, "stack outputs");
  return found;
}

/** Marks an export whose value is not known yet, as in a preview. */
export const UNKNOWN = "<unknown>";

async function resolve(pulumi: typeof Pulumi, value: unknown): Promise<unknown> {
  if (!pulumi.Output.isInstance(value)) {
    return value;
  }
  if (!(await (value as unknown as { isKnown: Promise<boolean> }).isKnown)) {
    return UNKNOWN;
  }
  return new Promise((done) => {
    (value as Pulumi.Output<unknown>).apply((v) => {
      done(v);
      return v;
    });
  });
}

/**
 * Wraps the mock monitor's registerResource to record resource options, and stands in for the
 * transform callback server (the mock monitor refuses transforms) so the program's transforms can
 * be called by tests.
 */
function recordRegistrations(pulumi: typeof Pulumi): Pending[] {
  const pending: Pending[] = [];
  const transforms = new Map<string, Pulumi.ResourceTransform>();
  const { Callback } = require("@pulumi/pulumi/proto/callback_pb");
  const store = require("@pulumi/pulumi/runtime/state").getStore();
  store.supportsTransforms = true;
  store.callbacks = {
    registerTransform: async (transform: Pulumi.ResourceTransform) => {
      const token = `transform-${transforms.size}`;
      transforms.set(token, transform);
      const callback = new Callback();
      callback.setToken(token);
      callback.setTarget("mock");
      return callback;
    },
    awaitStackRegistrations: async () => undefined,
    shutdown: () => undefined,
  };
  const monitor = pulumi.runtime.getMonitor() as any;
  const register = monitor.registerResource.bind(monitor);
  monitor.registerResource = (req: any, callback: (err: unknown, resp: any) => void) => {
    const propertyDependencies = new Set<string>();
    req.getPropertydependenciesMap().forEach((deps: any) => deps.getUrnsList().forEach((u: string) => propertyDependencies.add(u)));
    const entry: Pending = {
      type: req.getType(),
      name: req.getName(),
      parentUrn: req.getParent(),
      dependencies: req.getDependenciesList(),
      propertyDependencies,
      ignoreChanges: req.getIgnorechangesList(),
      retainOnDelete: req.getRetainondelete() === true,
      transforms: req.getTransformsList().map((c: any) => transforms.get(c.getToken()) as Pulumi.ResourceTransform),
      urn: "",
    };
    pending.push(entry);
    return register(req, (err: unknown, resp: any) => {
      if (resp) {
        entry.urn = resp.getUrn();
      }
      callback(err, resp);
    });
  };
  return pending;
}

/**
 * Each isolated load of the Pulumi SDK adds process exit listeners (its own copy of `tmp`'s clean-up, and the
 * SDK's report of promises left pending, which a run awaits anyway); those copies are discarded with the run,
 * so their listeners go too, otherwise a suite of runs trips Node's MaxListenersExceededWarning.
 */
function forgetExitListeners(before: ReadonlySet<(...args: any[]) => void>): void {
  for (const listener of process.listeners("exit")) {
    if (!before.has(listener)) process.removeListener("exit", listener);
  }
}
