import { compileTemplate, renderTemplate, TemplateError } from "../../../detector/src/alerts/template";
import { makeAlert } from "../support/alerts";

describe("output templates", () => {
  it("fills in alert facts and Falco fields of the record", () => {
    const alert = makeAlert({ event: { eventID: "e1", eventName: "DeleteObject", eventTime: "2024-05-01T12:00:00Z", eventType: "AwsApiCall", userIdentity: { arn: "arn:aws:iam::123456789012:user/mallory", type: "IAMUser" }, sourceIPAddress: "203.0.113.9", userAgent: "aws-cli/2", recipientAccountId: "123456789012", requestParameters: { bucketName: "payroll", key: "q1.csv" } } });
    const t = compileTemplate("{{priority}} {{ rule }}: {{principal}} from {{sourceIp}} on {{bucket}} ({{account}}) ua={{ct.useragent}} key={{s3.key}} x={{json.value[/nothere]}}");
    expect(renderTemplate(t, alert)).toBe("Warning S3 object deleted: arn:aws:iam::123456789012:user/mallory from 203.0.113.9 on payroll (123456789012) ua=aws-cli/2 key=file-1.csv x=<NA>");
  });

  it("prefers the value the rule printed, and marks what the record lacks with <NA> as Falco does", () => {
    const alert = makeAlert({ event: {} });
    expect(renderTemplate(compileTemplate("{{ct.user}} {{principal}} {{ct.region}}"), alert)).toBe("mallory <NA> <NA>");
  });

  it("escapes the values, never the template's own text", () => {
    const alert = makeAlert({ rule: "a <b> & c" });
    expect(renderTemplate(compileTemplate("*{{rule}}*"), alert, (v) => v.replace(/</g, "&lt;"))).toBe("*a &lt;b> & c*");
  });

  it("refuses what is not a placeholder, saying where", () => {
    expect(() => compileTemplate("{{rule")).toThrow(new TemplateError("'{{' is not closed by '}}'", 0));
    expect(() => compileTemplate("x {{}}")).toThrow(/empty placeholder/);
    expect(() => compileTemplate("{{ process.env }}")).toThrow(/unknown placeholder '\{\{process.env\}\}'/);
    expect(() => compileTemplate("{{ rule.constructor }}")).toThrow(/unknown placeholder/);
    expect(() => compileTemplate("{{ __proto__ }}")).toThrow(/unknown placeholder/);
  });
});
