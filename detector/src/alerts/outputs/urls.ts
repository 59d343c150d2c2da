/**
 * Destination URLs written in configuration in clear text must carry no credential: such a URL is
 * stored and shown wherever the configuration is (a task definition, a stack file, a repository),
 * and `user:password@` never even works, since fetch refuses URLs with credentials. Credentials
 * belong in a secret (`urlSecret`) or an environment variable (`urlEnv`).
 */

/** Query parameters that carry credentials in webhook URLs (tokens, keys, SAS signatures). */
const SECRET_PARAMS = /^(token|access_token|auth|auth_token|api[-_]?key|apikey|key|secret|password|passwd|pwd|sig|signature|code|x-amz-signature|x-amz-credential)$/i;

/** Webhook URLs that are credentials in themselves: anyone holding them can post. */
const TOKEN_URLS: Array<[RegExp, string]> = [
  [/^hooks\.slack\.com$/i, "a Slack webhook URL, whose path is its token"],
  [/\.webhook\.office\.com$/i, "a Microsoft Teams webhook URL, whose path is its token"],
  [/^outlook\.office(365)?\.com$/i, "a Microsoft Teams webhook URL, whose path is its token"],
  [/^(discord|discordapp)\.com$/i, "a Discord webhook URL, whose path is its token"],
];

export type UrlProblem =
  | { kind: "invalid"; reason: string }
  | { kind: "credentials"; reason: string };

/** What is wrong with `text` as a destination URL, or undefined when it is a usable http(s) URL. */
export function urlProblem(text: string): UrlProblem | undefined {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return { kind: "invalid", reason: "not a URL" };
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") return { kind: "invalid", reason: `not an http:// or https:// URL` };
  return undefined;
}

/** Why a URL written in clear text holds a credential, or undefined when it holds none. */
export function credentialInUrl(text: string): string | undefined {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return /\/\/[^/@\s]+@/.test(text) ? "a user name or password before the host (user:password@)" : undefined;
  }
  if (url.username || url.password) return "a user name or password before the host (user:password@)";
  for (const key of url.searchParams.keys()) if (SECRET_PARAMS.test(key)) return `a credential in its query (${key}=...)`;
  for (const [host, what] of TOKEN_URLS) if (host.test(url.hostname) && url.pathname.length > 1) return what;
  return undefined;
}

/** Whether a URL names user info, which s3guard sends as HTTP Basic authentication when it comes from a secret. */
export function hasUserInfo(text: string): boolean {
  try {
    const url = new URL(text);
    return url.username !== "" || url.password !== "";
  } catch {
    return false;
  }
}
