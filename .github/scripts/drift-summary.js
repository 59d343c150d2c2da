#!/usr/bin/env node
// @ts-check
"use strict";
/**
 * Turns the JSON of `pulumi preview --refresh --expect-no-changes --json` into the Markdown job summary of the drift
 * workflow: which resources differ from the program and in which properties, or why the check could not run.
 *
 *   node .github/scripts/drift-summary.js STACK EXIT_CODE PREVIEW_JSON_FILE [STDERR_FILE] >> "$GITHUB_STEP_SUMMARY"
 *
 * Plain JavaScript so the workflow runs it with `node` alone; tested in test/workflows/driftSummary.test.ts.
 */

/** Operations that leave a resource as it is: anything else is a difference between live resources and the program. */
const unchanged = new Set(["same", "read", "refresh", "discard"]);

/** What each operation means when the program itself has not changed since the last `pulumi up`. */
const meaning = {
  create: "missing (deleted outside Pulumi?); `pulumi up` would create it",
  delete: "no longer declared by the program; `pulumi up` would delete it",
  update: "changed outside Pulumi; `pulumi up` would set it back",
  replace: "changed outside Pulumi in a way that `pulumi up` would fix by replacing it",
  "create-replacement": "would be replaced",
  "delete-replaced": "would be replaced",
  import: "would be imported",
};

/** @param {string} text */
function cell(text) {
  return text.replace(/\|/g, "\\|").replace(/\n/g, " ");
}

/** @param {string} urn `urn:pulumi:stack::project::type::name` (the type may carry parent types joined by `$`) */
function typeAndName(urn) {
  const parts = urn.split("::");
  const types = (parts[2] ?? "").split("$");
  return { type: types[types.length - 1], name: parts.slice(3).join("::") };
}

/**
 * @param {{ stack: string, exitCode: number, preview: string, stderr?: string }} run
 * @returns {string} Markdown
 */
function driftSummary({ stack, exitCode, preview, stderr = "" }) {
  /** @type {any} */
  let digest;
  try {
    digest = JSON.parse(preview);
  } catch {
    digest = undefined;
  }
  const steps = (digest?.steps ?? []).filter((/** @type {any} */ s) => !unchanged.has(s.op));
  if (digest !== undefined && steps.length > 0) {
    const rows = steps.map((/** @type {any} */ s) => {
      const { type, name } = typeAndName(s.urn);
      const properties = Object.keys(s.detailedDiff ?? {});
      const which = properties.length > 0 ? properties : [...(s.diffReasons ?? []), ...(s.replaceReasons ?? [])];
      const what = /** @type {Record<string, string>} */ (meaning)[s.op] ?? s.op;
      return `| ${cell(s.op)} | \`${cell(type)}\` | ${cell(name)} | ${which.length ? which.map((p) => `\`${cell(p)}\``).join(", ") : "—"} | ${cell(what)} |`;
    });
    return [
      `### Drift in ${stack}: ${steps.length} resource${steps.length === 1 ? "" : "s"} differ from the program`,
      "",
      "`pulumi preview --refresh --expect-no-changes` compared the live resources with the program on this branch; the stack's state was not changed.",
      "",
      "| Operation | Type | Resource | Properties that differ | What it means |",
      "| --- | --- | --- | --- | --- |",
      ...rows,
      "",
      "Either undo the change made outside Pulumi by running `pulumi up` after review, or adopt it: change the program or " +
        "`Pulumi." + stack.split("/").pop() + ".yaml` in a pull request so the preview shows no difference. A merge not yet deployed shows here too.",
      "",
    ].join("\n");
  }
  if (exitCode === 0) {
    return [
      `### No drift in ${stack}`,
      "",
      "`pulumi preview --refresh --expect-no-changes` found the live resources as the program declares them.",
      "",
    ].join("\n");
  }
  const errors = (digest?.diagnostics ?? [])
    .filter((/** @type {any} */ d) => d.severity === "error")
    .map((/** @type {any} */ d) => String(d.message).trim());
  const detail = [...errors, stderr.trim()].filter((t) => t !== "").join("\n").split("\n").slice(-40).join("\n");
  return [
    `### The drift check of ${stack} could not run`,
    "",
    `\`pulumi preview\` exited with ${exitCode} before it could compare the live resources with the program. Its last messages:`,
    "",
    "```",
    detail || "(no output)",
    "```",
    "",
  ].join("\n");
}

function main() {
  const fs = require("node:fs");
  const [stack, exitCode, previewFile, stderrFile] = process.argv.slice(2);
  const read = (/** @type {string | undefined} */ f) => (f && fs.existsSync(f) ? fs.readFileSync(f, "utf8") : "");
  process.stdout.write(driftSummary({ stack, exitCode: Number(exitCode), preview: read(previewFile), stderr: read(stderrFile) }));
}

module.exports = { driftSummary };

if (require.main === module) {
  main();
}
