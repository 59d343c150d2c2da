import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { types } from "../../policy/resources";
import { runPack } from "./harness";
import { declared, setUp, settled } from "./mocks";

/**
 * The policy pack applied to what the real program (index.ts) declares for the example stack, Pulumi.dev.yaml,
 * under Pulumi's mocks: the program must keep every guardrail, and it must follow the resource contract the
 * policies read (docs/previews-and-drift.md), or this test fails.
 */

const root = join(__dirname, "../..");
const policyConfigScript = require(join(root, "policy/bin/policy-config.js")) as {
  policyConfig: (stackConfig: Record<string, { value: string; objectValue?: unknown }>) => Record<string, Record<string, unknown>>;
};

/** Pulumi.dev.yaml's config, as `pulumi config --json` would print it and as the SDK reads it under mocks. */
function stackConfig(): Record<string, { value: string; objectValue?: unknown }> {
  const file = join(root, "Pulumi.dev.yaml");
  if (!existsSync(file)) {
    throw new Error("Pulumi.dev.yaml is missing: this test runs the program for the example stack.");
  }
  const config: Record<string, unknown> = parse(readFileSync(file, "utf8"))?.config ?? {};
  return Object.fromEntries(
    Object.entries(config).map(([key, v]) =>
      typeof v === "string" ? [key, { value: v }] : [key, { value: JSON.stringify(v), objectValue: v }],
    ),
  );
}

describe("the policy pack on the real program under mocks (Pulumi.dev.yaml)", () => {
  const config = stackConfig();

  beforeAll(async () => {
    await setUp(Object.fromEntries(Object.entries(config).map(([k, v]) => [k, v.value])));
    require("../../index");
    await settled();
  });

  it("declares the resources the policies read", () => {
    const watched = (config["s3guard:watchedBuckets"]?.objectValue ?? []) as { name: string }[];
    const typesDeclared = new Set(declared.map((r) => r.type));
    expect(typesDeclared).toContain(types.trail);
    for (const bucket of watched) {
      expect(declared.filter((r) => r.props.bucket === bucket.name).map((r) => r.type)).toEqual(
        expect.arrayContaining([types.ownershipControls]),
      );
    }
  });

  it("passes every policy", async () => {
    expect(await runPack(declared, policyConfigScript.policyConfig(config))).toEqual([]);
  });
});
