import * as fs from "node:fs";
import * as path from "node:path";
import { loadRules, type CompiledRule, type RulesFile } from "../../detector/src/engine";
import { loadStatefulRules } from "../../detector/src/stateful";
import { readFixtures } from "../../detector/src/ruletest";
import { DETECTIONS } from "../../scripts/measure/detections";
import { isMitreTag, STAGE_TAGS } from "../../scripts/measure/tags";
import { alertingRules, bundledRulesFiles, fixtureCase, FIXTURES_DIR } from "../support/bundledRules";
import { describeWithSharedData } from "../support/sharedData";

/** The attack stage each bundled rules file holds, in load order. */
const FILE_STAGES: Record<string, string> = {
  "10-discovery.yaml": "discovery",
  "20-initial-access.yaml": "initial_access",
  "30-credential-access.yaml": "credential_access",
  "40-privilege-escalation.yaml": "privilege_escalation",
  "50-persistence.yaml": "persistence",
  "60-defense-evasion.yaml": "defense_evasion",
  "70-exfiltration.yaml": "exfiltration",
  "80-impact.yaml": "impact",
};

/** The runbook sections of docs/rules.md: heading text to body. */
function runbooks(): Map<string, string> {
  const text = fs.readFileSync(path.join(__dirname, "..", "..", "docs", "rules.md"), "utf8");
  const part = text.slice(text.indexOf("\n## Runbooks"));
  return new Map([...part.matchAll(/^### (.+)\n([\s\S]*?)(?=^### |(?![\s\S]))/gm)].map((m) => [m[1].trim(), m[2]] as const));
}

let files: RulesFile[];
let rules: CompiledRule[];

beforeAll(async () => {
  files = await bundledRulesFiles();
  const loaded = loadStatefulRules(files);
  if (!loaded.ruleset) throw new Error(loaded.errors.map((e) => e.text).join("\n"));
  rules = [...loaded.ruleset.rules];
});

/** Names defined by `- list:`, `- macro:` and `- rule:` items in a rules file's text. */
function definedNames(text: string, kind: "rule" | "list" | "macro"): string[] {
  return [...text.matchAll(new RegExp(`^- ${kind}: *(.+?) *$`, "gm"))].map((m) => m[1].replace(/^["']|["']$/g, ""));
}

describe("the bundled rules", () => {
  it("load without errors or warnings (the stateful keys included)", () => {
    const loaded = loadStatefulRules(files);
    expect(loaded.errors).toEqual([]);
    expect(loaded.warnings.map((w) => w.text)).toEqual([]);
  });

  it("are all CloudTrail rules, after the shared lists and macros (the file that sorts first)", () => {
    expect(path.basename(files[0].name)).toBe("00-s3guard-lists.yaml");
    expect(definedNames(files[0].content, "rule")).toEqual([]);
    for (const r of rules) expect([r.name, r.source]).toEqual([r.name, "aws_cloudtrail"]);
  });

  it("ask for an engine no newer than 0.43.0 in every file", () => {
    for (const f of files) expect([path.basename(f.name), /required_engine_version: 0\.43\.0\n/.test(f.content)]).toEqual([path.basename(f.name), true]);
  });

  it("define every rule, list and macro once (a second definition would silently replace the first)", () => {
    for (const kind of ["rule", "list", "macro"] as const) {
      const names = files.flatMap((f) => definedNames(f.content, kind));
      expect(names.filter((n, i) => names.indexOf(n) !== i)).toEqual([]);
    }
  });

  it("prefix every list and macro with s3guard_, so users' and other packs' names cannot collide", () => {
    const names = files.flatMap((f) => [...definedNames(f.content, "list"), ...definedNames(f.content, "macro")]);
    expect(names.filter((n) => !n.startsWith("s3guard_"))).toEqual([]);
  });

  it("tag every rule with a MITRE ATT&CK tactic and technique and with one attack stage, its file's", () => {
    expect(files.map((f) => path.basename(f.name)).filter((n) => /^[1-9]/.test(n))).toEqual(Object.keys(FILE_STAGES));
    for (const r of rules) {
      const stages = r.tags.filter((t) => (STAGE_TAGS as readonly string[]).includes(t));
      expect([r.name, stages]).toEqual([r.name, [FILE_STAGES[path.basename(r.info.ctx.file)]]]);
      expect([r.name, r.tags.some((t) => t.startsWith("mitre_")), r.tags.some((t) => isMitreTag(t) && t.startsWith("T"))]).toEqual([r.name, true, true]);
    }
  });

  it("keep AWS's own calls out of every rule about people (human_behaviour uses s3guard_human_call)", () => {
    const human = rules.filter((r) => r.tags.includes("human_behaviour"));
    expect(human.length).toBeGreaterThan(20);
    expect(human.filter((r) => !/\bs3guard_human_call\b/.test(r.info.cond)).map((r) => r.name)).toEqual([]);
    expect(rules.filter((r) => /\bs3guard_human_call\b/.test(r.info.cond) && !r.tags.includes("human_behaviour")).map((r) => r.name)).toEqual([]);
  });

  it("have a runbook each in docs/rules.md: what it means, how to triage, how to respond, what is usually benign", () => {
    const books = runbooks();
    const parts = ["**What it means.**", "**Triage.**", "**Respond.**", "**Usually benign.**"];
    for (const r of rules) {
      const body = books.get(r.name) ?? "";
      expect([r.name, parts.filter((p) => !body.includes(p))]).toEqual([r.name, []]);
    }
    const names = new Set(rules.map((r) => r.name));
    expect([...books.keys()].filter((h) => !names.has(h))).toEqual([]);
  });

  it("explain the known benign sources of every rule in its description", () => {
    expect(rules.filter((r) => !/benign/i.test(r.desc)).map((r) => r.name)).toEqual([]);
  });

  it("make every single-event detection of the specification, or say why not", () => {
    const names = new Set(rules.map((r) => r.name));
    expect(DETECTIONS.map((d) => d.id)).toEqual(Array.from({ length: 30 }, (_, i) => `D${i + 1}`));
    expect(DETECTIONS.flatMap((d) => d.rules).filter((n) => !names.has(n))).toEqual([]);
    expect(DETECTIONS.filter((d) => d.rules.length === 0 && !d.gap).map((d) => d.id)).toEqual([]);
  });

  it("tell a responder who, from where, in which account and which event in every output", () => {
    const needed = ["%ct.srcip", "%ct.useragent", "%ct.region", "%ct.recipientaccountid", "%ct.id"];
    for (const r of rules) expect([r.name, needed.filter((f) => !r.info.output.includes(f))]).toEqual([r.name, []]);
  });
});

describe("the bundled fixtures", () => {
  it("give every rule at least one case that must alert and one that must not", async () => {
    const { cases } = await readFixtures(FIXTURES_DIR);
    const fires = (c: (typeof cases)[number]) => c.expect.kind === "alert" || (c.expect.kind === "count" && c.expect.count > 0);
    for (const r of rules) {
      const own = cases.filter((c) => c.rule === r.name);
      expect([r.name, own.some(fires), own.some((c) => !fires(c))]).toEqual([r.name, true, true]);
    }
  });

  it("say where their records come from: shaped on a named record, or written by s3guard and why", async () => {
    const { cases } = await readFixtures(FIXTURES_DIR);
    expect(cases.filter((c) => !/^(shaped on |written by s3guard: )/.test(c.source)).map((c) => `${c.file}: ${c.description}`)).toEqual([]);
  });
});

describe("overriding the lists fits the rules to an account", () => {
  const override = (list: string, item: string): RulesFile => ({
    name: "my-account.yaml",
    content: `- list: ${list}\n  items: [${JSON.stringify(item)}]\n  override:\n    items: append\n`,
  });

  it("silences configuration rules for trusted automation roles", async () => {
    const c = await fixtureCase("CloudTrail Trail Deleted", "DeleteTrail with a trail ARN");
    expect(alertingRules(files, c.events)).toContain("CloudTrail Trail Deleted");
    expect(alertingRules([...files, override("s3guard_trusted_automation_roles", "Admin")], c.events)).not.toContain("CloudTrail Trail Deleted");
  });

  it("accepts bucket-policy grants to trusted external principals", async () => {
    const c = await fixtureCase("S3 Bucket Policy Grants Access to Another Account", "the Stratus Red Team backdoor policy");
    expect(alertingRules(files, c.events)).toContain("S3 Bucket Policy Grants Access to Another Account");
    const trusted = override("s3guard_trusted_external_principals", "arn:aws:iam::193672423079:*");
    expect(alertingRules([...files, trusted], c.events)).not.toContain("S3 Bucket Policy Grants Access to Another Account");
  });

  it("accepts reads by trusted external accounts", async () => {
    const c = await fixtureCase("S3 Data Accessed by Another Account", "GetObject by a role of account 193672423079");
    const trusted = override("s3guard_trusted_external_accounts", "193672423079");
    expect(alertingRules([...files, trusted], c.events)).not.toContain("S3 Data Accessed by Another Account");
  });

  it("leaves buckets meant to be public alone", async () => {
    const c = await fixtureCase("S3 Bucket ACL Grants Public Access", "PutBucketAcl with a body that grants READ");
    const website = override("s3guard_public_buckets", "customer-reports");
    expect(alertingRules([...files, website], c.events)).not.toContain("S3 Bucket ACL Grants Public Access");
  });

  it("treats a listed bucket as a CloudTrail log bucket whatever its name", async () => {
    const c = await fixtureCase("CloudTrail Log Bucket Policy or Lifecycle Changed", "a lifecycle rule on an ordinary data bucket");
    expect(alertingRules(files, c.events)).not.toContain("CloudTrail Log Bucket Policy or Lifecycle Changed");
    const logs = override("s3guard_cloudtrail_log_buckets", "product-images");
    expect(alertingRules([...files, logs], c.events)).toContain("CloudTrail Log Bucket Policy or Lifecycle Changed");
  });
});

describeWithSharedData("beside Falco's own aws_cloudtrail_rules.yaml", (dir) => {
  let falco: RulesFile;

  beforeAll(() => {
    const name = path.join(dir, "falco", "aws_cloudtrail_rules.yaml");
    falco = { name, content: fs.readFileSync(name, "utf8") };
  });

  it("share no rule, list or macro name with it", () => {
    for (const kind of ["rule", "list", "macro"] as const) {
      const theirs = new Set(definedNames(falco.content, kind));
      expect(files.flatMap((f) => definedNames(f.content, kind)).filter((n) => theirs.has(n))).toEqual([]);
    }
  });

  it("load with it, before or after, keeping every rule of both", () => {
    const alone = loadRules([falco]).ruleset!.rules.length;
    for (const order of [[falco, ...files], [...files, falco]]) {
      const loaded = loadRules(order);
      expect(loaded.errors).toEqual([]);
      expect(loaded.ruleset!.rules.length).toBe(alone + rules.length);
    }
  });
});
