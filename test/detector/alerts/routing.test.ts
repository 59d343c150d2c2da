import { alertFilter, wildcardMatch } from "../../../detector/src/alerts/routing";
import { makeAlert } from "../support/alerts";

describe("routing filters", () => {
  it("passes an alert only when every filter given holds, any entry of a list matching", () => {
    const f = alertFilter({ minimumPriority: "Warning", rules: ["S3 object *", "Other"], tags: ["s3", "iam"], accounts: ["123456789012"], buckets: ["pay*"] });
    expect(f(makeAlert())).toBe(true);
    expect(f(makeAlert({ priority: "Notice" }))).toBe(false);
    expect(f(makeAlert({ rule: "IAM user created" }))).toBe(false);
    expect(f(makeAlert({ tags: ["aws"] }))).toBe(false);
    expect(f(makeAlert({ event: { recipientAccountId: "999999999999", requestParameters: { bucketName: "payroll" } } }))).toBe(false);
    expect(f(makeAlert({ event: { recipientAccountId: "123456789012", requestParameters: { bucketName: "logs" } } }))).toBe(false);
  });

  it("does not pass an alert whose record names no bucket through a bucket filter", () => {
    expect(alertFilter({ buckets: ["*"] })(makeAlert({ event: { eventName: "ConsoleLogin" } }))).toBe(false);
    expect(alertFilter({})(makeAlert({ event: {} }))).toBe(true);
  });

  it("matches * and ? wildcards over the whole text", () => {
    expect(wildcardMatch("S3 *", "S3 bucket deleted")).toBe(true);
    expect(wildcardMatch("S3 *", "IAM S3 thing")).toBe(false);
    expect(wildcardMatch("prod-??", "prod-eu")).toBe(true);
    expect(wildcardMatch("prod-??", "prod-eu1")).toBe(false);
    expect(wildcardMatch("*a*b*c", "xxaxxbxxc")).toBe(true);
    expect(wildcardMatch("exact", "exact")).toBe(true);
  });

  it("answers in bounded time on a pattern made to backtrack", () => {
    const started = Date.now();
    expect(wildcardMatch("*a*a*a*a*a*a*a*a*b", "a".repeat(5000))).toBe(false);
    // Generous: the exponential matcher this replaces took minutes on far shorter text.
    expect(Date.now() - started).toBeLessThan(5000);
  });
});
