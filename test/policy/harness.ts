import { PolicyResource, ResourceValidationArgs, ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { policies } from "../../policy/policies";
import { StackResource } from "../../policy/resources";

/**
 * Runs the pack's policies the way the Pulumi engine calls them: each resource policy's validateResource once per
 * resource (with `isType`/`notApplicable` behaving like @pulumi/policy's server), each stack policy's validateStack
 * once with every resource, and the policy config given here. Returns what they reported.
 */

export interface Reported {
  readonly policy: string;
  readonly message: string;
  readonly urn?: string;
}

export type PolicyConfig = Record<string, Record<string, unknown>>;

class NotApplicable extends Error {}

export function resource(type: string, name: string, props: Record<string, any>): StackResource {
  return { type, name, urn: `urn:pulumi:test::s3guard::${type}::${name}`, props };
}

export function policyNames(): string[] {
  return policies.map((p) => p.name);
}

export async function runPolicy(name: string, stack: readonly StackResource[], config: Record<string, unknown> = {}): Promise<Reported[]> {
  const policy = policies.find((p) => p.name === name);
  if (policy === undefined) {
    throw new Error(`no policy named ${name}`);
  }
  const reported: Reported[] = [];
  const notApplicable = (reason?: string): never => {
    throw new NotApplicable(reason);
  };
  if ("validateStack" in policy) {
    const resources = stack.map((r) => ({ ...r, opts: {}, dependencies: [], propertyDependencies: {} }) as unknown as PolicyResource);
    const args = { resources, stackTags: new Map(), getConfig: <T>() => config as T, notApplicable };
    try {
      await (policy as StackValidationPolicy).validateStack(args, (message, urn) => reported.push({ policy: name, message, urn }));
    } catch (e) {
      if (!(e instanceof NotApplicable)) throw e;
    }
    return reported;
  }
  const validations = [(policy as ResourceValidationPolicy).validateResource ?? []].flat();
  for (const r of stack) {
    for (const validate of validations) {
      const args = {
        type: r.type,
        name: r.name,
        urn: r.urn,
        props: r.props,
        opts: {},
        stackTags: new Map(),
        isType: (cls: { __pulumiType?: string }) => cls.__pulumiType === r.type,
        asType: () => r.props,
        getConfig: <T>() => config as T,
        notApplicable,
      } as unknown as ResourceValidationArgs;
      try {
        await validate(args, (message) => reported.push({ policy: name, message, urn: r.urn }));
      } catch (e) {
        if (!(e instanceof NotApplicable)) throw e;
      }
    }
  }
  return reported;
}

/** Runs every policy of the pack; `config` is the pack's policy config, keyed by policy name. */
export async function runPack(stack: readonly StackResource[], config: PolicyConfig = {}): Promise<Reported[]> {
  const reported: Reported[] = [];
  for (const name of policyNames()) {
    reported.push(...(await runPolicy(name, stack, config[name] ?? {})));
  }
  return reported;
}
