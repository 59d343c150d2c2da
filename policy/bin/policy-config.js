#!/usr/bin/env node
// @ts-check
"use strict";
/**
 * Writes the s3guard policy pack's config for one stack: the stack's watched buckets (from `pulumi config --json`)
 * for every policy that needs them, merged over optional per-stack overrides (enforcement levels, other settings).
 * A policy pack cannot read stack configuration, and this keeps the stack file the only place the buckets are listed.
 *
 *   pulumi config --json --stack dev | node policy/bin/policy-config.js [policy/config/dev.json] > policy-config.json
 *
 * Plain JavaScript so CI runs it with `node` alone; test/policy/policyConfig.test.ts keeps the policy names in
 * step with policy/policies.ts.
 */

/** The policies whose config carries `watchedBuckets` (policy/policies.ts `watchedBucketPolicies`). */
const watchedBucketPolicies = [
  "watched-buckets-block-public-access",
  "watched-buckets-enforce-bucket-owner",
  "trail-selectors-cover-watched-buckets",
];

const key = "s3guard:watchedBuckets";

/**
 * @param {Record<string, {value?: string, objectValue?: unknown, secret?: boolean}>} stackConfig `pulumi config --json`
 * @param {Record<string, unknown>} [overrides] policy config to keep, keyed by policy name
 * @returns {Record<string, unknown>} the policy pack config
 */
function policyConfig(stackConfig, overrides = {}) {
  const entry = stackConfig[key];
  let watchedBuckets = [];
  if (entry !== undefined) {
    if (entry.secret) {
      throw new Error(`${key} is a secret, so its buckets cannot be passed to the policy pack. Store it as plain configuration.`);
    }
    watchedBuckets = entry.objectValue !== undefined ? entry.objectValue : JSON.parse(entry.value ?? "[]");
  }
  // A trail of another stack (s3guard:trail.existing with recordsWatchedBuckets) records the buckets'
  // data events: this stack declares no trail, and the pack cannot see that one's selectors.
  const trail = readTrail(stackConfig["s3guard:trail"]);
  const recordedElsewhere = trail?.existing?.recordsWatchedBuckets === true;
  /** @type {Record<string, unknown>} */
  const config = { ...overrides };
  for (const name of watchedBucketPolicies) {
    const own = overrides[name];
    const base = typeof own === "string" ? { enforcementLevel: own } : own ?? {};
    config[name] = { ...base, watchedBuckets: recordedElsewhere && name === "trail-selectors-cover-watched-buckets" ? [] : watchedBuckets };
  }
  return config;
}

/**
 * @param {{value?: string, objectValue?: unknown} | undefined} entry `s3guard:trail` of `pulumi config --json`
 * @returns {{existing?: {recordsWatchedBuckets?: unknown}} | undefined}
 */
function readTrail(entry) {
  if (entry === undefined) return undefined;
  try {
    const value = entry.objectValue !== undefined ? entry.objectValue : JSON.parse(entry.value ?? "{}");
    return typeof value === "object" && value !== null ? /** @type {any} */ (value) : undefined;
  } catch {
    return undefined;
  }
}

function main() {
  const fs = require("node:fs");
  const [overridesPath] = process.argv.slice(2);
  const stackConfig = JSON.parse(fs.readFileSync(0, "utf8"));
  const overrides = overridesPath ? JSON.parse(fs.readFileSync(overridesPath, "utf8")) : {};
  process.stdout.write(`${JSON.stringify(policyConfig(stackConfig, overrides), null, 2)}\n`);
}

module.exports = { policyConfig, watchedBucketPolicies };

if (require.main === module) {
  try {
    main();
  } catch (e) {
    console.error(`policy-config: ${e instanceof Error ? e.message : e}`);
    process.exit(1);
  }
}
