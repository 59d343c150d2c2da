/**
 * Keeps secrets out of every line the detector writes about itself (service logs, command errors).
 * Destination credentials are registered when they are resolved and replaced wherever they appear;
 * URLs are cut down to what is safe to show whatever they carry: no user info, no query values, no
 * path of a webhook whose path is its token. One function, used by the logger, so no call site has
 * to remember it.
 */
const MASK = "***";
/** Shorter values are too likely to occur by chance in ordinary text to be replaced everywhere. */
const MIN_SECRET_LENGTH = 6;
const known = new Set<string>();

/** Remembers a secret (a destination URL, a routing key, an API key) so it never reaches a log. */
export function registerSecret(value: string): void {
  if (value.length < MIN_SECRET_LENGTH) return;
  known.add(value);
  // A URL is also logged in the forms fetch and `new URL` print it.
  try {
    const parsed = new URL(value);
    known.add(parsed.href);
    if (parsed.password) known.add(decodeURIComponent(parsed.password));
  } catch {
    // not a URL
  }
  const encoded = encodeURIComponent(value);
  if (encoded !== value) known.add(encoded);
}

/** Hosts whose webhook URLs carry the credential in the path (Slack, Teams, Discord, Power Automate). */
const TOKEN_PATH_HOSTS = [/^hooks\.slack\.com$/i, /\.webhook\.office\.com$/i, /^outlook\.office(365)?\.com$/i, /^(discord|discordapp)\.com$/i, /\.logic\.azure\.com$/i];
/** A path segment that looks like a token: long, and mixing letters and digits. */
const TOKEN_SEGMENT = /^(?=[^/]*\d)(?=[^/]*[A-Za-z])[A-Za-z0-9_\-=.~%]{24,}$/;
const URL_IN_TEXT = /\b[a-z][a-z0-9+.-]*:\/\/[^\s"'<>`]+/gi;

/** A URL as it may be shown: scheme, host and port, and only the path segments that are not secrets. */
export function redactUrl(text: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return text.replace(/\/\/[^/@\s]*@/, `//${MASK}@`);
  }
  const userInfo = url.username || url.password ? `${MASK}@` : "";
  const tokenPath = TOKEN_PATH_HOSTS.some((h) => h.test(url.hostname));
  const segments = url.pathname.split("/").map((s, i) => (s && (TOKEN_SEGMENT.test(s) || (tokenPath && i > 1)) ? MASK : s));
  const query = [...url.searchParams.keys()].map((k) => `${k}=${MASK}`).join("&");
  return `${url.protocol}//${userInfo}${url.host}${segments.join("/")}${query ? `?${query}` : ""}${url.hash ? "#" + MASK : ""}`;
}

/** `text` with every registered secret and every URL's secret parts masked. */
export function redact(text: string): string {
  let out = text;
  for (const secret of known) if (out.includes(secret)) out = out.split(secret).join(MASK);
  return out.replace(URL_IN_TEXT, (u) => redactUrl(u));
}
