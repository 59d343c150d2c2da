import * as pulumi from "@pulumi/pulumi";
import { inspect } from "util";
import { checkConfig } from "../../components/config";
import { readSecret, SecretSetting } from "../../components/configSecret";
import { ProblemList } from "../../components/configReader";
import { ConfigSecrets, SecretText } from "../../components/secretText";

const URL = "https://hooks.example.com/services/T000/B000/XXXXXXXX";
const PATH = "s3guard:connector.webhookUrl";
const httpsOnly = { accepted: "an https:// URL", check: (u: string) => (u.startsWith("https://") ? undefined : "not an https URL") };
const secretConnector: ConfigSecrets = { isSecret: (key) => key === "connector" };
const plainConfig: ConfigSecrets = { isSecret: () => false };

function read(value: unknown, secrets: ConfigSecrets = secretConnector): { setting?: SecretSetting; problems: [string, string][] } {
  const problems = new ProblemList(secrets);
  const setting = readSecret(problems, PATH, value, httpsOnly);
  return { ...(setting !== undefined ? { setting } : {}), problems: problems.problems.map((p) => [p.code, p.message]) };
}

describe("SecretText", () => {
  const text = SecretText.of(URL);

  it("never shows its text: not as a string, in JSON, or when inspected", () => {
    expect(String(text)).toBe("[secret]");
    expect(`${text}`).toBe("[secret]");
    expect(JSON.stringify({ webhookUrl: text })).toBe('{"webhookUrl":"[secret]"}');
    expect(inspect({ webhookUrl: text })).not.toContain("hooks");
  });

  it("lets validation look at the text, and gives it to resources only as a Pulumi secret", async () => {
    expect(text.peek((t) => t.length)).toBe(URL.length);
    const output = text.output();
    expect(await pulumi.isSecret(output)).toBe(true);
    expect(await new Promise((done) => output.apply(done))).toBe(URL);
  });

  it("stands for an encrypted stack-file value that cannot be read offline", () => {
    const encrypted = SecretText.encrypted();
    expect(encrypted.readable).toBe(false);
    expect(encrypted.peek(() => "seen")).toBeUndefined();
    expect(() => encrypted.output()).toThrow("cannot be read without the stack's secrets provider");
  });
});

describe("readSecret", () => {
  it("treats absent, null and empty as not set", () => {
    for (const value of [undefined, null, ""]) {
      expect(read(value)).toEqual({ problems: [] });
    }
  });

  it("accepts text under a key set as a secret, checks it, and reads it back through the secret reader", async () => {
    const secrets: ConfigSecrets = { isSecret: () => true, output: (path) => pulumi.secret(`read ${path}`) };
    const problems = new ProblemList(secrets);
    const setting = readSecret(problems, PATH, URL, httpsOnly);
    expect(problems.problems).toEqual([]);
    expect(setting).toEqual({ from: "config", text: expect.any(SecretText) });
    const output = (setting as { text: SecretText }).text.output();
    expect(await new Promise((done) => output.apply(done))).toBe(`read ${PATH}`);
  });

  it("refuses clear text, saying how to set it as a secret, without repeating it", () => {
    const { setting, problems } = read(URL, plainConfig);
    expect(setting).toBeUndefined();
    expect(problems).toEqual([
      [
        "PLAINTEXT_SECRET",
        `${PATH}: a secret in clear text in the stack configuration (got [secret]); set it with ` +
          `\`pulumi config set --secret --path '${PATH}' <value>\`, or name a secret: ` +
          "{secretsManager: <secret ARN>} or {ssmParameter: <SecureString parameter ARN>}",
      ],
    ]);
  });

  it("reports a secret that fails its check without showing it", () => {
    expect(read("http://hooks.example.com/x").problems).toEqual([
      ["INVALID_SECRET", `${PATH}: not an https URL (got [secret]); use an https:// URL`],
    ]);
  });

  it("accepts an encrypted value it cannot read, skipping the check", () => {
    const encrypted = SecretText.encrypted();
    expect(read(encrypted, plainConfig)).toEqual({ setting: { from: "config", text: encrypted }, problems: [] });
  });

  it("names a Secrets Manager secret (optionally one JSON key, and its customer managed key) or a SecureString parameter", () => {
    const arn = "arn:aws:secretsmanager:eu-west-1:111122223333:secret:alerts/webhook-Ab12Cd";
    const key = "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";
    expect(read({ secretsManager: arn, jsonKey: "url", kmsKeyArn: key })).toEqual({
      setting: { from: "secretsManager", arn, jsonKey: "url", kmsKeyArn: key },
      problems: [],
    });
    const parameter = "arn:aws-us-gov:ssm:us-gov-west-1:111122223333:parameter/alerts/webhook";
    expect(read({ ssmParameter: parameter })).toEqual({ setting: { from: "ssmParameter", arn: parameter }, problems: [] });
  });

  it("rejects references it could not grant or ECS could not resolve, naming each key", () => {
    const partial = "arn:aws:secretsmanager:eu-west-1:111122223333:secret:alerts/webhook";
    expect(read({ secretsManager: partial, jsonKey: "a:b", kmsKeyArn: "alias/alerts", vault: "x" }).problems.map(([code, message]) => [code, message.split(" (got")[0]])).toEqual([
      ["UNKNOWN_KEY", `${PATH}.vault: unknown key`],
      ["INVALID_ARN", `${PATH}.secretsManager: not the full ARN of a Secrets Manager secret`],
      ["WRONG_TYPE", `${PATH}.jsonKey: not a JSON key ECS can select`],
      ["INVALID_ARN", `${PATH}.kmsKeyArn: not a KMS key ARN`],
    ]);
    expect(read({ ssmParameter: "/alerts/webhook", jsonKey: "url" }).problems.map(([code, message]) => [code, message.split(" (got")[0]])).toEqual([
      ["INVALID_ARN", `${PATH}.ssmParameter: not an SSM parameter ARN`],
      ["CONFLICT", `${PATH}.jsonKey: only a Secrets Manager secret has JSON keys`],
    ]);
    expect(read({ secretsManager: partial.concat("-Ab12Cd"), ssmParameter: "arn:aws:ssm:eu-west-1:111122223333:parameter/x" }).problems.map(([c]) => c)).toEqual(["CONFLICT"]);
    expect(read({}).problems.map(([c]) => c)).toEqual(["CONFLICT"]);
    expect(read(42).problems.map(([c]) => c)).toEqual(["WRONG_TYPE"]);
  });
});

describe("problems under a key set as a secret", () => {
  it("hide text, which may be a secret under a misspelt key, but still show numbers", () => {
    const { problems } = checkConfig(
      { watchedBuckets: [{ name: "a-bucket", read: true }], connector: { webhokUrl: URL, cpu: 300 } },
      { stack: "dev", secrets: secretConnector },
    );
    const messages = problems.map((p) => p.message).join("\n");
    expect(problems.map((p) => p.path)).toEqual(["s3guard:connector.webhokUrl", "s3guard:connector.cpu"]);
    expect(messages).toContain('webhokUrl: unknown key (got [secret]); accepted keys: enabled, image, cpu, memory');
    expect(messages).toContain('(did you mean "webhookUrl"?)');
    expect(messages).toContain("(got 300)");
    expect(messages).not.toContain("hooks.example.com");
  });
});
