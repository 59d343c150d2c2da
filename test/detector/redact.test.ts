import { jsonLogger } from "../../detector/src/connector/log";
import { redact, redactUrl, registerSecret } from "../../detector/src/redact";

describe("redaction of secrets in log lines", () => {
  it("masks user info, query values and token paths of URLs, keeping what locates the destination", () => {
    expect(redactUrl("https://alerts:hunter2@siem.example.com:8443/ingest?token=abc&team=x")).toBe("https://***@siem.example.com:8443/ingest?token=***&team=***");
    expect(redactUrl("https://hooks.slack.com/services/T0000/B0000/XXXXXXXXXXXXXXXX")).toBe("https://hooks.slack.com/services/***/***/***");
    expect(redactUrl("https://siem.example.com/hooks/9f8e7d6c5b4a39281706f5e4d3c2b1a0")).toBe("https://siem.example.com/hooks/***");
    // A queue URL has nothing secret: it stays readable.
    expect(redactUrl("https://sqs.eu-west-1.amazonaws.com/123456789012/s3guard-notifications")).toBe("https://sqs.eu-west-1.amazonaws.com/123456789012/s3guard-notifications");
  });

  it("masks URLs inside free text and registered secrets wherever they appear", () => {
    registerSecret("R0utingKey-0123456789abcdef");
    expect(redact("POST https://u:p@h.example.com/x failed; key R0utingKey-0123456789abcdef refused")).toBe("POST https://***@h.example.com/x failed; key *** refused");
  });

  it("is applied by the logger to the message and every field, nested or not", () => {
    const lines: string[] = [];
    const log = jsonLogger((l) => lines.push(l));
    log.error("POST https://ops:s3cr3tpass@siem.example.com/in failed", { reason: "POST https://hooks.slack.com/services/T1/B2/abcdefghijklmnopqrstuvwx: HTTP 500", nested: { url: "https://x.example.com/?sig=AbC" } });
    const text = lines.join("");
    expect(text).not.toMatch(/s3cr3tpass|abcdefghijklmnopqrstuvwx|AbC/);
    expect(JSON.parse(text)).toMatchObject({ msg: "POST https://***@siem.example.com/in failed", nested: { url: "https://x.example.com/?sig=***" } });
  });
});
