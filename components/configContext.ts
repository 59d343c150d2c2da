import { parseIpNetwork } from "../detector/src/engine/condition/operators/ipnet";
import { ProblemList, readOptionalString, readSection } from "./configReader";
import { ContextSettings } from "./configTypes";

/**
 * `s3guard:context`: what the program cannot find out by itself about the deployment, for the
 * rules' context lists (trusted accounts and networks, the organization). Networks are checked
 * with the detector's own parser, so a value accepted here always loads in the connector.
 */

const PATH = "s3guard:context";
export const CONTEXT_KEYS = ["trustedAccounts", "trustedNetworks", "organizationId"] as const;

export const ACCOUNT_ID = /^\d{12}$/;
export const ORGANIZATION_ID = /^o-[a-z0-9]{10,32}$/;

/** At most this many trusted networks or accounts: each is a list item in every condition that uses it. */
export const MAX_CONTEXT_ITEMS = 1000;

export const CONTEXT_DEFAULTS: ContextSettings = { trustedAccounts: [], trustedNetworks: [] };

export function readContext(problems: ProblemList, value: unknown): ContextSettings {
  const raw = readSection(problems, PATH, value, CONTEXT_KEYS);
  if (raw === undefined) return CONTEXT_DEFAULTS;
  const trustedAccounts = readAccounts(problems, raw.trustedAccounts);
  const trustedNetworks = readNetworks(problems, raw.trustedNetworks);
  const orgAccepted = "use the id of your AWS organization, like o-a1b2c3d4e5 (aws organizations describe-organization)";
  const organizationId = readOptionalString(problems, `${PATH}.organizationId`, raw.organizationId, orgAccepted);
  if (organizationId !== undefined && !ORGANIZATION_ID.test(organizationId)) {
    problems.add("INVALID_ID", `${PATH}.organizationId`, organizationId, "not an organization id", orgAccepted);
  }
  const settings: ContextSettings = { trustedAccounts, trustedNetworks };
  return organizationId !== undefined && ORGANIZATION_ID.test(organizationId) ? { ...settings, organizationId } : settings;
}

function readAccounts(problems: ProblemList, value: unknown): string[] {
  const accepted = 'use a list of 12-digit account ids in quotes, like ["111122223333"] (unquoted, YAML reads a leading 0 away)';
  return readItems(problems, `${PATH}.trustedAccounts`, value, accepted, "account", (id) =>
    ACCOUNT_ID.test(id) ? undefined : { code: "INVALID_ID", wrong: "not a 12-digit AWS account id" },
  );
}

function readNetworks(problems: ProblemList, value: unknown): string[] {
  const accepted = "use a list of addresses or CIDR blocks, IPv4 or IPv6, like [203.0.113.0/24, 2001:db8::/32]";
  return readItems(problems, `${PATH}.trustedNetworks`, value, accepted, "network", (text) => {
    const parsed = parseIpNetwork(text);
    return "error" in parsed ? { code: "INVALID_NETWORK", wrong: parsed.error.replace(/^'[^']*' /, "") } : undefined;
  });
}

/**
 * A list of strings checked one by one; every problem names the entry's own position in the
 * list. Returns the good entries, each once.
 */
function readItems(
  problems: ProblemList,
  path: string,
  value: unknown,
  accepted: string,
  what: string,
  check: (text: string) => { code: "INVALID_ID" | "INVALID_NETWORK"; wrong: string } | undefined,
): string[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) {
    problems.add("WRONG_TYPE", path, value, "not a list", accepted);
    return [];
  }
  if (value.length > MAX_CONTEXT_ITEMS) {
    problems.add("OUT_OF_RANGE", path, value.length, "too many entries", `list at most ${MAX_CONTEXT_ITEMS}; summarise addresses as CIDR blocks`);
  }
  const good: string[] = [];
  const first = new Map<string, number>();
  value.forEach((item: unknown, i) => {
    if (typeof item !== "string") {
      problems.add("WRONG_TYPE", `${path}[${i}]`, item, "not a string", accepted);
      return;
    }
    const problem = check(item);
    if (problem) {
      problems.add(problem.code, `${path}[${i}]`, item, problem.wrong, accepted);
      return;
    }
    const earlier = first.get(item);
    if (earlier !== undefined) {
      problems.add("DUPLICATE", `${path}[${i}]`, item, `duplicate ${what}, already at ${path}[${earlier}]`, `list each ${what} once`);
      return;
    }
    first.set(item, i);
    good.push(item);
  });
  return good;
}
