#!/usr/bin/env node
// @ts-check
"use strict";
/**
 * The stacks the preview and drift workflows check: one per `Pulumi.<stack>.yaml` committed beside Pulumi.yaml, so
 * a stack is checked exactly when its settings exist. Prints the step output the matrix is built from:
 *
 *   node .github/scripts/list-stacks.js [ONLY_STACK] >> "$GITHUB_OUTPUT"     ->  stacks=["dev","prod"]
 *
 * With ONLY_STACK (a manual run of one stack), that stack alone, and an error when it has no file.
 * Plain JavaScript so the workflow runs it with `node` alone; tested in test/workflows/listStacks.test.ts.
 */
const fs = require("node:fs");
const path = require("node:path");

/** @param {string} dir */
function stacksIn(dir) {
  return fs
    .readdirSync(dir)
    .map((file) => /^Pulumi\.([A-Za-z0-9_.-]+)\.ya?ml$/.exec(file)?.[1])
    .filter(/** @returns {name is string} */ (name) => name !== undefined)
    .sort();
}

/**
 * @param {string} dir the project folder (holding Pulumi.yaml)
 * @param {string} [only] a single stack to check, as a manual run names it
 * @returns {{ stacks: string[] } | { error: string }}
 */
function listStacks(dir, only) {
  const stacks = stacksIn(dir);
  if (only === undefined || only === "") return { stacks };
  if (stacks.includes(only)) return { stacks: [only] };
  return { error: `no Pulumi.${only}.yaml: the stacks with a file are ${stacks.join(", ") || "none"}` };
}

module.exports = { listStacks };

if (require.main === module) {
  const result = listStacks(path.resolve(__dirname, "../.."), process.argv[2]);
  if ("error" in result) {
    process.stderr.write(`::error::${result.error}\n`);
    process.exit(1);
  }
  process.stdout.write(`stacks=${JSON.stringify(result.stacks)}\n`);
}
