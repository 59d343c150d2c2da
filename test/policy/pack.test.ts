import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { policyNames, runPack, PolicyConfig } from "./harness";
import { changed, compliantStack, watchedBuckets, without } from "./stack";
import { watchedBucketPolicies } from "../../policy/policies";

const intent: PolicyConfig = Object.fromEntries(watchedBucketPolicies.map((name) => [name, { watchedBuckets }]));

describe("the s3guard policy pack", () => {
  it("passes a stack that keeps every guardrail", async () => {
    expect(await runPack(compliantStack(), intent)).toEqual([]);
  });

  it("fails a weakened configuration: a watched bucket without a public access block and a trail without validation", async () => {
    let stack = without(compliantStack(), "invoices-public-access");
    stack = changed(stack, "trail", (trail) => ({ ...trail, enableLogFileValidation: false }));

    expect(await runPack(stack, intent)).toEqual([
      {
        policy: "watched-buckets-block-public-access",
        message:
          'Watched bucket "invoices" has no public access block, and this stack does not turn on the account-level block. ' +
          'Set s3guard:blockPublicAccess to "buckets" so s3guard declares a block for every watched bucket, or to "account" ' +
          "in the one stack that owns the account-level block; if another stack or your organization owns that block, " +
          "set accountBlockManagedElsewhere: true in this policy's config.",
        urn: undefined,
      },
      {
        policy: "trail-validates-log-files",
        message:
          "The trail does not validate its log files, so nobody can prove that a delivered log file was not altered or deleted. " +
          "Set enableLogFileValidation to true.",
        urn: "urn:pulumi:test::s3guard::aws:cloudtrail/trail:Trail::trail",
      },
    ]);
  });

  it("fails closed when the policy config does not say which buckets are watched", async () => {
    const reported = await runPack(compliantStack(), {});
    expect(reported.map((r) => r.policy)).toEqual([...watchedBucketPolicies]);
    expect(reported[0].message).toBe(
      "This policy's config has no watchedBuckets, so it cannot tell which buckets this stack must protect. " +
        "Generate the policy config from the stack's settings: " +
        "`pulumi config --json --stack <stack> | node policy/bin/policy-config.js > policy-config.json`, " +
        "then run `pulumi preview --policy-pack policy --policy-pack-config policy-config.json`.",
    );
  });

  it("gives every policy a unique name and a description, and leaves the enforcement level to the pack", async () => {
    const { policies } = await import("../../policy/policies");
    expect(new Set(policyNames()).size).toBe(policies.length);
    for (const policy of policies) {
      expect(policy.name).toMatch(/^[a-z]+(-[a-z]+)+$/);
      expect(policy.description.length).toBeGreaterThan(20);
      expect(policy.enforcementLevel).toBeUndefined();
    }
  });
});

describe("policy/index.ts", () => {
  it("serves the policies as the pack named s3guard, mandatory by default", () => {
    jest.isolateModules(() => {
      const served: unknown[][] = [];
      jest.doMock("@pulumi/policy", () => ({
        ...jest.requireActual("@pulumi/policy"),
        // Constructing a real PolicyPack starts a gRPC server for the Pulumi engine; record the arguments instead.
        PolicyPack: function PolicyPack(...args: unknown[]) {
          served.push(args);
        },
      }));
      require("../../policy/index");
      const { policies } = require("../../policy/policies");
      expect(served).toHaveLength(1);
      expect(served[0][0]).toBe("s3guard");
      expect(served[0][1]).toMatchObject({ enforcementLevel: "mandatory", policies });
    });
  });
});

describe("the policy/ directory, as `pulumi preview --policy-pack policy` loads it", () => {
  const read = (file: string) => readFileSync(join(__dirname, "../..", file), "utf8");

  it("declares a Node.js policy pack", () => {
    expect(parse(read("policy/PulumiPolicy.yaml"))).toEqual({ runtime: "nodejs", description: expect.stringMatching(/^Guards the guardrails/) });
  });

  it("has the package.json from which PolicyPack takes its version, and is a workspace the root npm ci installs", () => {
    const pkg = JSON.parse(read("policy/package.json"));
    expect(pkg.version).toMatch(/^\d+\.\d+\.\d+$/);
    expect(pkg.main).toBe("index.ts");
    expect(JSON.parse(read("package.json")).workspaces).toContain("policy");
  });

  it("is loaded and served by the runner Pulumi's Node.js language host starts for a policy pack", async () => {
    // The same entry point `pulumi preview --policy-pack policy` runs: it compiles index.ts with the pack's
    // tsconfig.json, type-checking it, and the pack then prints the port of its gRPC server.
    const runner = spawn(process.execPath, [require.resolve("@pulumi/pulumi/cmd/run-policy-pack"), "127.0.0.1:1", "."], {
      cwd: join(__dirname, "../../policy"),
    });
    const output = await new Promise<string>((resolve) => {
      let stdout = "";
      let stderr = "";
      runner.stdout.on("data", (d) => {
        stdout += d;
        if (/^\d+\s*$/.test(stdout)) resolve(stdout);
      });
      runner.stderr.on("data", (d) => (stderr += d));
      runner.on("exit", (code) => resolve(`exited with ${code}: ${stdout}${stderr}`));
    });
    runner.kill();
    expect(output).toMatch(/^\d+\s*$/);
  });
});
