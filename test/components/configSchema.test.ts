/**
 * Pulumi.yaml's `config:` schema and the program's validator describe the same keys: every key the
 * validator accepts is declared (with its sub-keys listed in the description of a mapping), every
 * declared key is accepted, and what Pulumi fills in from a default changes nothing the validator decides.
 */
import { readFileSync } from "fs";
import * as path from "path";
import { parse } from "yaml";
import { checkConfig, SECTION_KEYS, TOP_KEYS } from "../../components/config";

const ROOT = path.resolve(__dirname, "../..");
const project = parse(readFileSync(path.join(ROOT, "Pulumi.yaml"), "utf8")) as { config: Record<string, Declaration> };

interface Declaration {
  type?: string;
  description?: string;
  default?: unknown;
  items?: { type: string };
  secret?: boolean;
}

const declared = Object.fromEntries(
  Object.entries(project.config)
    .filter(([key]) => key.startsWith("s3guard:"))
    .map(([key, declaration]) => [key.slice("s3guard:".length), declaration]),
);

/** The keys a description lists after "Keys:", each written `name (what it takes)` and separated by ";". */
function listedKeys(description: string): string[] {
  const at = description.indexOf("Keys: ");
  if (at < 0) return [];
  return description
    .slice(at + "Keys: ".length)
    .split(";")
    .map((part) => part.trim().split(/[ (]/)[0]);
}

const sorted = (keys: readonly string[]) => [...keys].sort();
const oneBucket = { watchedBuckets: [{ name: "customer-data", read: true }] };

describe("Pulumi.yaml's config schema", () => {
  it("declares exactly the top-level keys the validator accepts, every one with a description", () => {
    expect(sorted(Object.keys(declared))).toEqual(sorted(TOP_KEYS));
    for (const [key, declaration] of Object.entries(declared)) {
      expect([key, (declaration.description ?? "").length > 40]).toEqual([key, true]);
    }
  });

  it("lists, in the description of each mapping, exactly the keys the validator accepts inside it", () => {
    for (const key of TOP_KEYS) {
      const expected = SECTION_KEYS[key] ?? [];
      expect([key, sorted(listedKeys(declared[key].description ?? ""))]).toEqual([key, sorted(expected)]);
    }
  });

  it("uses only what Pulumi's project schema allows: string, integer, boolean or array types, arrays with items", () => {
    for (const [key, declaration] of Object.entries(declared)) {
      expect([key, Object.keys(declaration).filter((a) => !["type", "description", "default", "items", "secret"].includes(a))]).toEqual([key, []]);
      if (declaration.type !== undefined) {
        expect([key, ["string", "integer", "boolean", "array"].includes(declaration.type)]).toEqual([key, true]);
        expect([key, declaration.type !== "array" || declaration.items !== undefined]).toEqual([key, true]);
      }
      if (declaration.type === "string" && declaration.default !== undefined) {
        expect([key, typeof declaration.default]).toEqual([key, "string"]);
      }
    }
  });

  it("requires (no default) exactly the keys the validator reports missing", () => {
    const required = Object.entries(declared).filter(([, d]) => d.default === undefined).map(([key]) => `s3guard:${key}`);
    const missing = checkConfig({}, { stack: "dev" }).problems.filter((p) => p.code === "MISSING_KEY").map((p) => p.path);
    expect(sorted(required)).toEqual(sorted(missing));
  });

  it("has defaults that the validator reads as nothing set, so Pulumi filling them in changes nothing", () => {
    const defaults = Object.fromEntries(
      Object.entries(declared)
        .filter(([, d]) => d.default !== undefined)
        .map(([key, d]) => [key, d.default]),
    );
    const withDefaults = checkConfig({ ...defaults, ...oneBucket }, { stack: "dev", region: "us-east-1" });
    const without = checkConfig(oneBucket, { stack: "dev", region: "us-east-1" });
    expect(withDefaults.problems).toEqual([]);
    expect(withDefaults.config).toEqual(without.config);
  });

  it("is read the same way by the test's parser: a description's key list splits on ';'", () => {
    expect(listedKeys("A mapping. Keys: a (boolean, default true); bC (1 to 3: more); d")).toEqual(["a", "bC", "d"]);
    expect(listedKeys("No keys here.")).toEqual([]);
  });
});
