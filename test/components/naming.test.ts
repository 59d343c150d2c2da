import { defaultNamePrefix, namePrefixProblem, stackNames } from "../../components/naming";

describe("resource names", () => {
  it.each([
    ["dev", "s3guard-dev"],
    ["prod-eu", "s3guard-prod-eu"],
  ])("derives the default prefix of stack %s as %s", (stack, prefix) => {
    expect(defaultNamePrefix(stack)).toBe(prefix);
    expect(namePrefixProblem(prefix)).toBeUndefined();
  });

  it.each([
    ["Prod_EU", /^s3guard-prod-eu-e925f2$/],
    ["feature--x", /^s3guard-feature-x-[0-9a-f]{6}$/],
    ["a-very-long-stack-name-for-a-feature-branch", /^s3guard-a-very-long-stack-[0-9a-f]{6}$/],
    ["___", /^s3guard-[0-9a-f]{6}$/],
  ])("adds a hash of the exact name when stack %s had to be changed to fit", (stack, pattern) => {
    const prefix = defaultNamePrefix(stack);
    expect(prefix).toMatch(pattern);
    expect(namePrefixProblem(prefix)).toBeUndefined();
  });

  it("never gives two stacks, or two projects, the same default prefix", () => {
    const stacks = ["prod-eu", "Prod_EU", "prod_eu", "PROD-EU", "a-very-long-stack-name-for-a-feature-branch-1", "a-very-long-stack-name-for-a-feature-branch-2"];
    const prefixes = stacks.map((s) => defaultNamePrefix(s));
    expect(new Set(prefixes).size).toBe(stacks.length);
    expect(defaultNamePrefix("dev", "log-archive")).toBe("log-archive-dev");
    expect(defaultNamePrefix("dev", "9lives")).toBe("s3guard-9lives-dev");
    expect(defaultNamePrefix("dev", "log-archive")).not.toBe(defaultNamePrefix("dev"));
  });

  it("rejects prefixes that would make invalid bucket, trail or role names", () => {
    expect(namePrefixProblem("Prod")).toBe(
      "start with a lowercase letter, use only lowercase letters, digits and hyphens, and end with a letter or digit",
    );
    expect(namePrefixProblem("my--env")).toBe("not contain two adjacent hyphens");
    expect(namePrefixProblem("x".repeat(33))).toBe("be 3 to 32 characters long");
    expect(namePrefixProblem("sg-prod")).toBe('not start with "sg-", which EC2 reserves for security group IDs');
    expect(namePrefixProblem("sthree-prod")).toBe('make valid bucket names, which must not start with the reserved prefix "sthree-"');
  });

  it("names the buckets the validator must recognise as this stack's own", () => {
    expect(stackNames("s3guard-dev")).toEqual({
      auditTrail: "s3guard-dev-trail",
      publicAccessGuard: "s3guard-dev-public-access",
      cloudConnector: "s3guard-dev-connector",
      logBucketPrefix: "s3guard-dev-trail-logs",
      rulesBucketPrefix: "s3guard-dev-connector-rules",
    });
  });
});
