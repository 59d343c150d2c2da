import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { lint, LintFinding } from "./actionlint";

const root = join(__dirname, "../..");
const workflowDir = join(root, ".github/workflows");
const brokenDir = join(__dirname, "broken");

function read(dir: string): { file: string; text: string }[] {
  return readdirSync(dir)
    .filter((f) => /\.ya?ml$/.test(f))
    .sort()
    .map((file) => ({ file, text: readFileSync(join(dir, file), "utf8") }));
}

const workflow = (name: string): any => parse(readFileSync(join(workflowDir, name), "utf8"));
const steps = (name: string, job: string): any[] => workflow(name).jobs[job].steps;
const step = (name: string, job: string, uses: string): any => steps(name, job).find((s) => s.uses?.startsWith(uses));

/**
 * The inputs each pinned release declares in its action.yml (and those it requires without a default). actionlint
 * knows actions' inputs by tag only, so pinned by commit they are checked here.
 */
const PINNED_RELEASES: Record<string, { inputs: string[]; required: string[] }> = {
  "actions/checkout@3d3c42e5aac5ba805825da76410c181273ba90b1": {
    inputs: ["allow-unsafe-pr-checkout", "clean", "fetch-depth", "fetch-tags", "filter", "github-server-url", "lfs", "path", "persist-credentials", "ref", "repository", "set-safe-directory", "show-progress", "sparse-checkout", "sparse-checkout-cone-mode", "ssh-key", "ssh-known-hosts", "ssh-strict", "ssh-user", "submodules", "token"],
    required: [],
  },
  "actions/setup-node@820762786026740c76f36085b0efc47a31fe5020": {
    inputs: ["architecture", "cache", "cache-dependency-path", "check-latest", "mirror", "mirror-token", "node-version", "node-version-file", "package-manager-cache", "registry-url", "scope", "token"],
    required: [],
  },
  "aws-actions/configure-aws-credentials@e6de054238d6b7531b4efff3b6587d9aade6a06c": {
    inputs: ["action-timeout-s", "allowed-account-ids", "audience", "aws-access-key-id", "aws-profile", "aws-region", "aws-secret-access-key", "aws-session-token", "custom-tags", "disable-retry", "force-skip-oidc", "http-proxy", "inline-session-policy", "managed-session-policies", "mask-aws-account-id", "no-proxy", "output-credentials", "output-env-credentials", "overwrite-aws-profile", "retry-max-attempts", "role-chaining", "role-duration-seconds", "role-external-id", "role-session-name", "role-skip-session-tagging", "role-to-assume", "special-characters-workaround", "sts-endpoint", "transitive-tag-keys", "unset-current-credentials", "use-existing-credentials", "web-identity-token-file"],
    required: ["aws-region"],
  },
  "pulumi/actions@8e5e406f4007fca908480587cb9893c07090f58d": {
    inputs: ["always-include-summary", "cloud-url", "color", "command", "comment-on-pr", "comment-on-pr-number", "comment-on-summary", "config-map", "continue-on-error", "debug", "diff", "edit-pr-comment", "exclude", "exclude-dependents", "exclude-protected", "expect-no-changes", "github-token", "log-flow", "log-verbosity", "message", "parallel", "plan", "policyPackConfigs", "policyPacks", "pulumi-version", "pulumi-version-file", "refresh", "remove", "replace", "secrets-provider", "stack-name", "suppress-outputs", "suppress-progress", "target", "target-dependents", "upsert", "work-dir"],
    required: [],
  },
};

describe("the repository's workflows", () => {
  it("are the CI, preview and drift workflows, and actionlint finds nothing wrong in them", () => {
    const files = read(workflowDir);
    expect(files.map((f) => f.file)).toEqual(["ci.yml", "drift.yml", "preview.yml"]);
    expect(lint(files)).toEqual([]);
  });

  it("pin every action to a full commit id, with the release it is named in a comment, and never use long-lived AWS keys", () => {
    for (const { file, text } of read(workflowDir)) {
      for (const job of Object.values(parse(text).jobs) as any[]) {
        for (const s of job.steps.filter((x: any) => x.uses)) {
          expect([file, s.uses]).toEqual([file, expect.stringMatching(/^[\w-]+\/[\w-]+@[0-9a-f]{40}$/)]);
          const line = text.split("\n").find((l) => l.includes(`uses: ${s.uses}`));
          expect([file, line]).toEqual([file, expect.stringMatching(/ # v\d+\.\d+\.\d+$/)]);
        }
      }
      expect(text).not.toMatch(/aws-access-key-id|aws-secret-access-key|AWS_ACCESS_KEY_ID|AWS_SECRET_ACCESS_KEY/);
    }
  });

  it("run on Node 22, the major of the image and of the tests, and use the same release of each action", () => {
    const pins = new Map<string, Set<string>>();
    for (const { file } of read(workflowDir)) {
      for (const job of Object.values(workflow(file).jobs) as any[]) {
        for (const s of job.steps.filter((x: any) => x.uses)) {
          const [action, commit] = s.uses.split("@");
          pins.set(action, (pins.get(action) ?? new Set()).add(commit));
          if (action === "actions/setup-node") expect([file, s.with["node-version"]]).toEqual([file, 22]);
        }
      }
    }
    for (const [action, commits] of pins) expect([action, commits.size]).toEqual([action, 1]);
  });

  it("give each pinned action only inputs its release declares, and every input it requires", () => {
    for (const { file } of read(workflowDir)) {
      for (const job of Object.values(workflow(file).jobs) as any[]) {
        for (const s of job.steps.filter((x: any) => x.uses)) {
          const release = PINNED_RELEASES[s.uses];
          expect([file, s.uses, release === undefined]).toEqual([file, s.uses, false]);
          const given = Object.keys(s.with ?? {});
          expect([file, s.uses, given.filter((i) => !release.inputs.includes(i))]).toEqual([file, s.uses, []]);
          expect([file, s.uses, release.required.filter((i) => !given.includes(i))]).toEqual([file, s.uses, []]);
        }
      }
    }
  });

  it("keep no dependency cache in the jobs that hold AWS credentials", () => {
    for (const [file, job] of [["preview.yml", "preview"], ["drift.yml", "drift"]]) {
      expect(step(file, job, "actions/setup-node").with).toEqual({ "node-version": 22, "package-manager-cache": false });
    }
  });
});

describe("ci.yml", () => {
  it("runs npm ci and npm test on Node 22 with the npm cache, on every push and pull request", () => {
    const ci = workflow("ci.yml");
    expect(Object.keys(ci.on)).toEqual(["push", "pull_request"]);
    expect(ci.permissions).toEqual({ contents: "read" });
    expect(step("ci.yml", "test", "actions/setup-node").with).toEqual({ "node-version": 22, cache: "npm" });
    expect(steps("ci.yml", "test").filter((s) => s.run).map((s) => s.run)).toEqual(["npm ci", "npm test"]);
  });
});

describe("preview.yml", () => {
  const preview = workflow("preview.yml");

  it("runs on pull requests with least privilege and cancels the preview of an older push", () => {
    expect(Object.keys(preview.on)).toEqual(["pull_request"]);
    expect(preview.permissions).toEqual({ contents: "read", "id-token": "write", "pull-requests": "write" });
    expect(preview.concurrency).toEqual({ group: "preview-${{ github.event.pull_request.number }}", "cancel-in-progress": true });
  });

  it("previews each stack of the matrix with refresh and the policy pack, commenting once per stack", () => {
    expect(preview.jobs.preview.strategy.matrix.stack).toBe("${{ fromJSON(needs.stacks.outputs.stacks) }}");
    expect(step("preview.yml", "preview", "pulumi/actions").with).toBeUndefined(); // the CLI install
    const run = steps("preview.yml", "preview").find((s) => s.id === "preview");
    expect(run.uses).toMatch(/^pulumi\/actions@[0-9a-f]{40}$/);
    expect(run.with).toMatchObject({
      command: "preview",
      "stack-name": "${{ env.STACK }}",
      refresh: true,
      diff: true,
      policyPacks: "policy",
      policyPackConfigs: "${{ runner.temp }}/policy-config.json",
      "comment-on-pr": true,
      "edit-pr-comment": true,
    });
  });

  it("installs the pack's dependencies and writes its config before the preview", () => {
    const all = steps("preview.yml", "preview");
    const index = (p: (s: any) => boolean) => all.findIndex(p);
    const install = index((s) => s.run === "npm ci");
    const config = index((s) => typeof s.run === "string" && s.run.includes("node policy/bin/policy-config.js"));
    const run = index((s) => s.id === "preview");
    expect(install).toBeGreaterThanOrEqual(0);
    expect(install).toBeLessThan(config);
    expect(config).toBeLessThan(run);
  });

  it("assumes an AWS role by OIDC and takes the backend from PULUMI_BACKEND_URL or PULUMI_ACCESS_TOKEN", () => {
    expect(step("preview.yml", "preview", "aws-actions/configure-aws-credentials").with["role-to-assume"]).toMatch(/AWS_PREVIEW_ROLE_ARN/);
    expect(preview.jobs.preview.env).toMatchObject({
      PULUMI_BACKEND_URL: "${{ vars.PULUMI_BACKEND_URL }}",
      PULUMI_ACCESS_TOKEN: "${{ secrets.PULUMI_ACCESS_TOKEN }}",
    });
  });
});

describe("the stacks preview.yml and drift.yml check", () => {
  for (const file of ["preview.yml", "drift.yml"]) {
    const jobs = workflow(file).jobs;
    const checking = file === "preview.yml" ? "preview" : "drift";

    it(`${file}: come from a job that lists the committed Pulumi.<stack>.yaml files`, () => {
      const list = jobs.stacks.steps.find((s: any) => s.id === "list");
      expect(list.run).toMatch(/^node \.github\/scripts\/list-stacks\.js( "\$ONLY_STACK")? >> "\$GITHUB_OUTPUT"$/);
      expect(jobs.stacks.outputs).toEqual({ stacks: "${{ steps.list.outputs.stacks }}" });
      expect(jobs[checking].needs).toBe("stacks");
      expect(jobs[checking].if).toBe("needs.stacks.outputs.stacks != '[]'");
      expect(jobs[checking].strategy.matrix).toEqual({ stack: "${{ fromJSON(needs.stacks.outputs.stacks) }}" });
    });
  }

  it("drift.yml: a manual run's stack reaches the listing through the environment, never pasted into the script", () => {
    const list = workflow("drift.yml").jobs.stacks.steps.find((s: any) => s.id === "list");
    expect(list.env).toEqual({ ONLY_STACK: "${{ inputs.stack }}" });
    expect(list.run).not.toContain("${{");
  });
});

describe("drift.yml", () => {
  const drift = workflow("drift.yml");

  it("runs on a schedule and on demand, read-only", () => {
    expect(drift.on.schedule).toHaveLength(1);
    expect(drift.on.workflow_dispatch.inputs.stack.type).toBe("string");
    expect(drift.permissions).toEqual({ contents: "read", "id-token": "write" });
  });

  it("previews with refresh expecting no changes, which leaves the state untouched, and writes the job summary", () => {
    const check = steps("drift.yml", "drift").find((s) => typeof s.run === "string" && s.run.includes("pulumi preview"));
    expect(check.run).toMatch(/pulumi preview --stack "\$STACK" --refresh --expect-no-changes --json/);
    expect(check.run).not.toMatch(/pulumi refresh/);
    expect(check.run).toMatch(/node \.github\/scripts\/drift-summary\.js .*\n\s*>> "\$GITHUB_STEP_SUMMARY"/);
    expect(check.run).toMatch(/exit "\$status"\s*$/);
  });
});

describe("actionlint, as the tests run it", () => {
  // One linter process for every fixture: starting the WebAssembly build takes seconds.
  let all: LintFinding[] = [];
  beforeAll(() => {
    all = lint(read(brokenDir));
  });
  const findings = (file: string): Pick<LintFinding, "kind" | "line" | "message">[] =>
    all.filter((f) => f.file === file).map(({ kind, line, message }) => ({ kind, line, message }));

  it("finds something wrong in every fixture under test/workflows/broken", () => {
    expect(new Set(all.map((f) => f.file))).toEqual(new Set(read(brokenDir).map((f) => f.file)));
  });

  it("reports a misspelt matrix value", () => {
    expect(findings("matrix-typo.yml")).toEqual([
      { kind: "expression", line: 11, message: 'property "stak" is not defined in object type {stack: string}' },
    ]);
  });

  it("reports a misspelt and a missing action input", () => {
    expect(findings("action-input.yml")).toEqual([
      {
        kind: "action",
        line: 10,
        message: 'missing input "aws-region" which is required by action "aws-actions/configure-aws-credentials@v4". all required inputs are "aws-region"',
      },
      { kind: "action", line: 12, message: expect.stringMatching(/^input "role-to-asume" is not defined in action "aws-actions\/configure-aws-credentials@v4"\./) },
    ]);
  });

  it("reports a job that needs a job that does not exist", () => {
    expect(findings("job-needs.yml")).toEqual([
      { kind: "job-needs", line: 9, message: 'job "deploy" needs job "tests" which does not exist in this workflow' },
    ]);
  });

  it("reports an unknown shell", () => {
    expect(findings("shell.yml")).toEqual([
      { kind: "shell-name", line: 9, message: 'shell name "bsh" is invalid. available names are "bash", "pwsh", "python", "sh"' },
    ]);
  });

  it("reports a misspelt permission scope", () => {
    expect(findings("permissions.yml")).toEqual([
      { kind: "permissions", line: 5, message: expect.stringMatching(/^unknown permission scope "pull-request"\./) },
    ]);
  });

  it("reports untrusted input pasted into a script", () => {
    expect(findings("script-injection.yml")).toEqual([
      { kind: "expression", line: 8, message: expect.stringMatching(/^"github\.event\.pull_request\.title" is potentially untrusted\./) },
    ]);
  });

  it("reports a job without a runner", () => {
    expect(findings("missing-runs-on.yml").map((f) => f.kind)).toContain("syntax-check");
  });
});
