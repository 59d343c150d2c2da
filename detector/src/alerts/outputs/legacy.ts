import { credentialInUrl, urlProblem } from "./urls";
import type { OutputSpec } from "./model";

/**
 * The configuration before outputs files: `S3GUARD_ALERTS` lists sink kinds, with the SNS topic and
 * webhook URL in their own variables. Kept working by mapping it onto outputs named after their
 * kind (so metrics and logs name them as before), each taking every alert.
 */
export const LEGACY_SINKS = ["stdout", "cloudwatch", "securityhub", "sns", "webhook"] as const;
export type LegacySink = (typeof LEGACY_SINKS)[number];

export function legacyOutputs(list: string, env: Record<string, string | undefined>): { outputs: OutputSpec[]; errors: string[] } {
  const errors: string[] = [];
  const outputs: OutputSpec[] = [];
  const text = (name: string) => env[name]?.trim() || undefined;
  const names: LegacySink[] = [];
  for (const s of list.split(",").map((x) => x.trim().toLowerCase()).filter(Boolean)) {
    if (!(LEGACY_SINKS as readonly string[]).includes(s)) errors.push(`S3GUARD_ALERTS: unknown sink '${s}'; allowed: ${LEGACY_SINKS.join(", ")} (for Slack, Teams, PagerDuty or Opsgenie, use S3GUARD_OUTPUTS)`);
    else if (!names.includes(s as LegacySink)) names.push(s as LegacySink);
  }
  if (names.length === 0 && errors.length === 0) errors.push(`S3GUARD_ALERTS is empty; list one or more of ${LEGACY_SINKS.join(", ")}`);
  for (const name of names) {
    const base = { name, filters: {} };
    switch (name) {
      case "stdout":
        outputs.push({ ...base, type: "stdout", format: "json" });
        break;
      case "cloudwatch":
      case "securityhub":
        outputs.push({ ...base, type: name });
        break;
      case "sns": {
        const topicArn = text("S3GUARD_SNS_TOPIC_ARN");
        if (!topicArn) errors.push("S3GUARD_ALERTS includes sns but S3GUARD_SNS_TOPIC_ARN is not set: give the ARN of the topic to publish alerts to");
        else outputs.push({ ...base, type: "sns", topicArn });
        break;
      }
      case "webhook": {
        const url = text("S3GUARD_WEBHOOK_URL");
        if (!url) errors.push("S3GUARD_ALERTS includes webhook but S3GUARD_WEBHOOK_URL is not set: give the URL to POST alerts to (e.g. Falcosidekick's http://falcosidekick:2801/)");
        else if (urlProblem(url)) errors.push(`S3GUARD_WEBHOOK_URL: ${urlProblem(url)!.reason}; give an http:// or https:// URL`);
        // fetch refuses user:password@ and the variable is shown in clear text: never accepted.
        else if (credentialInUrl(url)?.includes("user:password@")) errors.push("S3GUARD_WEBHOOK_URL: the URL holds a user name or password (user:password@), which fetch refuses and which would be shown wherever the variable is; use S3GUARD_OUTPUTS with a webhook output whose urlSecret or urlEnv holds the URL (its user:password is then sent as HTTP Basic authentication)");
        else outputs.push({ ...base, type: "webhook", url: { value: url } });
        break;
      }
    }
  }
  return { outputs, errors };
}
