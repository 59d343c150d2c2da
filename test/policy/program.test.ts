import { join } from "node:path";
import { types } from "../../policy/resources";
import type { StackResource } from "../../policy/resources";
import { autoName } from "../components/helpers/mockCloud";
import { engineConfig, readStackFile, REPO_ROOT, runProgram } from "../components/helpers/runProgram";
import { runPack } from "./harness";

/**
 * The policy pack applied to what the real program (index.ts) declares for the example stack, Pulumi.dev.yaml,
 * under Pulumi's mocks: the program must keep every guardrail, and it must follow the resource contract the
 * policies read (docs/previews-and-drift.md), or this test fails. The program runs through the components'
 * harness, which also serves the transforms the program registers.
 */

const policyConfigScript = require(join(REPO_ROOT, "policy/bin/policy-config.js")) as {
  policyConfig: (stackConfig: Record<string, { value: string; objectValue?: unknown }>) => Record<string, Record<string, unknown>>;
};

/** Pulumi.dev.yaml's config, as `pulumi config --json` would print it. */
function stackConfigJson(config: Record<string, unknown>): Record<string, { value: string; objectValue?: unknown }> {
  return Object.fromEntries(
    Object.entries(config).map(([key, v]) => (typeof v === "string" ? [key, { value: v }] : [key, { value: JSON.stringify(v), objectValue: v }])),
  );
}

describe("the policy pack on the real program under mocks (Pulumi.dev.yaml)", () => {
  const config = readStackFile("Pulumi.dev.yaml");
  let declared: StackResource[] = [];

  beforeAll(async () => {
    const run = await runProgram(engineConfig(config), () => require("../../index"), { stack: "dev" });
    if (run.error) throw run.error;
    // In a real preview the provider names auto-named buckets before policies see them; mocks do not, so
    // the bucket gets the name the mock cloud gave it.
    declared = run.resources.map((r) => ({
      type: r.type,
      name: r.name,
      urn: r.urn,
      props: types.buckets.includes(r.type as never) && r.inputs.bucket === undefined ? { ...r.inputs, bucket: autoName(r.name) } : r.inputs,
    }));
  });

  it("declares the resources the policies read", () => {
    const watched = (config["s3guard:watchedBuckets"] ?? []) as { name: string }[];
    const typesDeclared = new Set(declared.map((r) => r.type));
    expect(typesDeclared).toContain(types.trail);
    for (const bucket of watched) {
      expect(declared.filter((r) => r.props.bucket === bucket.name).map((r) => r.type)).toEqual(
        expect.arrayContaining([types.ownershipControls]),
      );
    }
  });

  it("passes every policy", async () => {
    expect(await runPack(declared, policyConfigScript.policyConfig(stackConfigJson(config)))).toEqual([]);
  });
});
