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
export const STATE_EVICTED_RULE = "s3guard stateful windows evicted";

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

/**
 * Live windows of stateful rules were dropped to stay within the state's memory budget: counts
 * restart for those groups, so a threshold may be missed. Raised at most once per period (`period`
 * names it, for the id).
 */
export function stateEvictedAlert(evicted: number, rules: readonly string[], budgetBytes: number, period: string, hostname: string): Alert {
  const mb = Math.round(budgetBytes / (1024 * 1024));
  const message =
    `${evicted} live stateful windows were dropped to keep state within its memory budget (${mb} MB)` +
    `${rules.length ? `, of rules: ${rules.join(", ")}` : ""}; their counts start again, so a threshold or sequence may be missed. ` +
    `Give the task more memory or raise S3GUARD_STATE_MEMORY_MB, set S3GUARD_STATE_TABLE to keep state in DynamoDB, or narrow the rules' group_by.`;
  return systemAlert(STATE_EVICTED_RULE, "Warning", message, { "s3guard.state.evicted": BigInt(evicted), "s3guard.state.rules": rules.join(", "), "s3guard.state.budget_mb": BigInt(mb) }, hostname, period);
}
