import { existsSync } from "node:fs";
import { pathToFileURL } from "node:url";
import { chromium, type Browser, type Page } from "playwright-core";

/**
 * The scan report opened in a real headless Chromium: Debian's `chromium` package, driven by
 * playwright-core (which downloads no browser of its own). S3GUARD_CHROMIUM names another binary.
 */

// Debian's package first; GitHub's Ubuntu runners come with Google Chrome instead.
const CANDIDATES = ["/usr/lib/chromium/chromium", "/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"];

export function chromiumPath(env: Record<string, string | undefined> = process.env): string {
  const chosen = env.S3GUARD_CHROMIUM || CANDIDATES.find((p) => existsSync(p));
  if (!chosen || !existsSync(chosen)) {
    throw new Error(
      `no Chromium found (${env.S3GUARD_CHROMIUM ? `S3GUARD_CHROMIUM=${env.S3GUARD_CHROMIUM} does not exist` : `looked for ${CANDIDATES.join(", ")}`}): ` +
        "install it with 'apt-get install -y chromium' (.ci/run does), or set S3GUARD_CHROMIUM to a Chromium binary",
    );
  }
  return chosen;
}

export interface OpenedReport {
  browser: Browser;
  page: Page;
  /** Every request the page made besides loading its own file, each aborted. */
  requests: string[];
  /** Script errors, console errors and Content-Security-Policy violations. */
  problems: string[];
}

export async function openReport(file: string, viewport = { width: 1280, height: 900 }): Promise<OpenedReport> {
  const browser = await chromium.launch({ executablePath: chromiumPath(), headless: true });
  try {
    const context = await browser.newContext({ viewport, deviceScaleFactor: 1 });
    const own = pathToFileURL(file).href;
    const requests: string[] = [];
    const problems: string[] = [];
    // Anything but the report's own file is refused and remembered: a report must load nothing.
    await context.route("**/*", (route) => (route.request().url() === own ? route.continue() : route.abort()));
    const page = await context.newPage();
    page.on("request", (r) => {
      if (r.url() !== own) requests.push(r.url());
    });
    page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
    page.on("console", (m) => {
      if (m.type() === "error" || m.type() === "warning") problems.push(`console ${m.type()}: ${m.text()}`);
    });
    await page.goto(own, { waitUntil: "load" });
    return { browser, page, requests, problems };
  } catch (e) {
    await browser.close();
    throw e;
  }
}
