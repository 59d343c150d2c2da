import { createHash } from "node:crypto";
import type { Alert, OutputValue, Priority } from "../engine";
import { isoUtc } from "../engine";

/**
 * Alerts the service raises about itself (rules loaded, rules rejected), delivered through the
 * same sinks as detections so the security team sees them where it looks.
 */
export const SYSTEM_SOURCE = "s3guard";
export const RULES_LOADED_RULE = "s3guard rules loaded";
export const RULES_REJECTED_RULE = "s3guard rules update rejected";

function systemAlert(rule: string, priority: Priority, message: string, fields: Record<string, OutputValue>, hostname: string, idKey: string): Alert {
  const timeNs = BigInt(Date.now()) * 1_000_000n;
  const time = isoUtc(timeNs);
  return {
    // Stable per content, so the same event reported again updates rather than repeats.
    id: createHash("sha256").update(rule).update("\0").update(idKey).digest("hex").slice(0, 40),
    rule,
    desc: rule,
    priority,
    source: SYSTEM_SOURCE,
    tags: ["s3guard"],
    time,
    timeNs,
    message,
    output: `${time.replace("Z", "+0000")}: ${priority} ${message}`,
    outputFields: fields,
    hostname,
    event: {},
  };
}

export function rulesLoadedAlert(version: string, origin: string, activeRules: number, previous: string | undefined, hostname: string): Alert {
  const message = `rules version ${version} from ${origin} is active (${activeRules} rules${previous ? `, replacing version ${previous}` : ""})`;
  return systemAlert(RULES_LOADED_RULE, "Informational", message, { "s3guard.rules.version": version, "s3guard.rules.origin": origin, "s3guard.rules.previous": previous ?? null }, hostname, version);
}

export function rulesRejectedAlert(version: string, origin: string, error: string, running: string | undefined, hostname: string): Alert {
  const keeps = running ? `version ${running} keeps running` : "no rules are running yet";
  const message = `rules version ${version} from ${origin} did not load; ${keeps}. Fix the rules (check them with 's3guard validate') and upload again. Error: ${error}`;
  return systemAlert(RULES_REJECTED_RULE, "Error", message, { "s3guard.rules.version": version, "s3guard.rules.origin": origin, "s3guard.rules.error": error, "s3guard.rules.running": running ?? null }, hostname, `${version}\0${error}`);
}
