import { BatchImportFindingsCommand } from "@aws-sdk/client-securityhub";
import { MAX_FINDING_BYTES, findingBytes, partitionOf, severityLabel, toFinding, type FindingContext } from "../../../detector/src/alerts/asff";
import { findingTypes } from "../../../detector/src/alerts/mitre";
import { PRIORITIES } from "../../../detector/src/engine";
import { makeAlert } from "../support/alerts";

const CTX: FindingContext = { partition: "aws", region: "eu-west-1", accountId: "123456789012" };
const NOW = new Date("2024-05-01T12:05:00.000Z");
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/** ASFF required attributes (Security Hub user guide, "ASFF required attributes"). */
const REQUIRED = ["AwsAccountId", "CreatedAt", "Description", "GeneratorId", "Id", "ProductArn", "Resources", "SchemaVersion", "Severity", "Title", "Types", "UpdatedAt"];

describe("alerts as Security Hub findings (ASFF)", () => {
  it("has every required attribute, in the documented formats", () => {
    const f = new BatchImportFindingsCommand({ Findings: [toFinding(makeAlert(), CTX, NOW)] }).input.Findings![0];
    for (const k of REQUIRED) expect(f).toHaveProperty(k);
    expect(f.SchemaVersion).toBe("2018-10-08");
    expect(f.ProductArn).toBe("arn:aws:securityhub:eu-west-1:123456789012:product/123456789012/default");
    expect(f.AwsAccountId).toBe("123456789012");
    expect(f.GeneratorId).toBe("s3guard/S3 object deleted");
    expect(f.Title).toBe("S3 object deleted");
    expect(f.Description).toBe("Object deleted (bucket=payroll key=file-1.csv user=mallory)");
    expect(f.CreatedAt).toMatch(ISO);
    expect(f.CreatedAt).toBe("2024-05-01T12:00:00.001Z");
    expect(f.UpdatedAt).toBe(NOW.toISOString());
    expect(f.Severity).toEqual({ Label: "MEDIUM", Original: "Warning" });
    expect(f.Types).toEqual(["Unusual Behaviors/Application"]);
    for (const r of f.Resources!) {
      expect(r.Type).toBeTruthy();
      expect(r.Id).toBeTruthy();
    }
  });

  it("uses the alert's stable id, so a redelivered record updates its finding", () => {
    const a = toFinding(makeAlert({ id: "0123456789abcdef0123456789abcdef01234567" }), CTX, NOW);
    const b = toFinding(makeAlert({ id: "0123456789abcdef0123456789abcdef01234567" }), CTX, new Date(NOW.getTime() + 60_000));
    expect(a.Id).toBe("s3guard/0123456789abcdef0123456789abcdef01234567");
    expect(b.Id).toBe(a.Id);
    expect(a.Id!.length).toBeLessThanOrEqual(512);
    expect(a.ProductFields!["s3guard/AlertId"]).toBe("0123456789abcdef0123456789abcdef01234567");
  });

  it("maps every Falco priority to a severity label", () => {
    expect(Object.fromEntries(PRIORITIES.map((p) => [p, severityLabel(p)]))).toEqual({
      Emergency: "CRITICAL",
      Alert: "CRITICAL",
      Critical: "CRITICAL",
      Error: "HIGH",
      Warning: "MEDIUM",
      Notice: "LOW",
      Informational: "INFORMATIONAL",
      Debug: "INFORMATIONAL",
    });
  });

  it("names the S3 object and bucket of the record as resources", () => {
    expect(toFinding(makeAlert(), CTX, NOW).Resources).toEqual([
      { Type: "AwsS3Object", Id: "arn:aws:s3:::payroll/file-1.csv", Partition: "aws", Region: "eu-west-1" },
      { Type: "AwsS3Bucket", Id: "arn:aws:s3:::payroll", Partition: "aws", Region: "eu-west-1" },
    ]);
  });

  it("falls back to the request's bucket, then to the account", () => {
    const fromRequest = makeAlert({ event: { eventID: "e", requestParameters: { bucketName: "logs" } } });
    expect(toFinding(fromRequest, CTX, NOW).Resources).toEqual([{ Type: "AwsS3Bucket", Id: "arn:aws:s3:::logs", Partition: "aws", Region: "eu-west-1" }]);
    const none = makeAlert({ event: { eventID: "e", eventName: "ConsoleLogin", recipientAccountId: "210987654321" } });
    expect(toFinding(none, CTX, NOW).Resources).toEqual([{ Type: "AwsAccount", Id: "AWS::::Account:210987654321", Partition: "aws", Region: "eu-west-1" }]);
  });

  it("keeps Title within 256 and Description within 1024 characters", () => {
    const f = toFinding(makeAlert({ rule: "R".repeat(300), message: "M".repeat(2000) }), CTX, NOW);
    expect(f.Title).toHaveLength(256);
    expect(f.Description).toHaveLength(1024);
    expect(f.GeneratorId!.length).toBeLessThanOrEqual(512);
  });

  it("stays under 240 KB and 50 product fields whatever the rule prints", () => {
    const outputFields = Object.fromEntries(Array.from({ length: 80 }, (_, i) => [`json.value[/f${i}]`, "v".repeat(5000)]));
    const f = toFinding(makeAlert({ outputFields }), CTX, NOW);
    expect(findingBytes(f)).toBeLessThanOrEqual(MAX_FINDING_BYTES);
    expect(Object.keys(f.ProductFields!).length).toBeLessThanOrEqual(50);
    for (const [k, v] of Object.entries(f.ProductFields!)) {
      expect(k.length).toBeLessThanOrEqual(128);
      expect(v.length).toBeLessThanOrEqual(2048);
    }
  });

  it("uses the partition of the region in ARNs", () => {
    expect(partitionOf("cn-north-1")).toBe("aws-cn");
    expect(partitionOf("us-gov-west-1")).toBe("aws-us-gov");
    const f = toFinding(makeAlert(), { partition: "aws-cn", region: "cn-north-1", accountId: "123456789012" }, NOW);
    expect(f.ProductArn).toBe("arn:aws-cn:securityhub:cn-north-1:123456789012:product/123456789012/default");
  });
});

describe("finding types from rule tags", () => {
  it("maps MITRE techniques to their tactic, keeping the technique as classifier", () => {
    expect(findingTypes(["aws", "T1562.008"])).toEqual(["TTPs/Defense Evasion/T1562.008"]);
    expect(findingTypes(["T1530"])).toEqual(["TTPs/Collection/T1530"]);
  });

  it("maps exfiltration and impact to ASFF effects", () => {
    expect(findingTypes(["T1537"])).toEqual(["Effects/Data Exfiltration/T1537"]);
    expect(findingTypes(["T1485"])).toEqual(["Effects/Data Destruction/T1485"]);
  });

  it("understands Falco's mitre_<tactic> tags, and drops a tactic a technique already refines", () => {
    expect(findingTypes(["mitre_persistence"])).toEqual(["TTPs/Persistence"]);
    expect(findingTypes(["mitre_defense_evasion", "T1562"])).toEqual(["TTPs/Defense Evasion/T1562"]);
  });

  it("defaults to unusual application behaviour", () => {
    expect(findingTypes(["aws", "s3", "T9999"])).toEqual(["Unusual Behaviors/Application"]);
  });
});
