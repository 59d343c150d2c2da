/**
 * Where a rule's runbook is: every bundled rule has one in docs/rules.md under a heading that is the
 * rule's name, so its address is the page plus the heading's anchor. `S3GUARD_RUNBOOK_BASE_URL`
 * points at a published copy of that page (for links in chat, paging and reports read elsewhere).
 */
export const RUNBOOK_BASE_ENV = "S3GUARD_RUNBOOK_BASE_URL";
export const DEFAULT_RUNBOOK_BASE = "docs/rules.md";

export function runbookUrl(rule: string, base: string = process.env[RUNBOOK_BASE_ENV] || DEFAULT_RUNBOOK_BASE): string {
  return `${base}#${headingAnchor(rule)}`;
}

/** The anchor a Markdown renderer gives a heading: lower case, punctuation dropped, spaces as hyphens. */
export function headingAnchor(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, "")
    .replace(/\s/g, "-");
}
