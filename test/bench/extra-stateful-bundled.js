// @ts-check
"use strict";
/**
 * Bench figure: Falco's rules plus the whole bundled library (rules/, its stateful S3 rules included),
 * state in memory. On this corpus the stateful rules see few matches: the figure is what they cost
 * a scan that is mostly single-event work.
 */
const path = require("node:path");
const { REPO, sharedDataDir } = require("./corpus");

module.exports = (corpus) => ({
  name: "s3guard scan, Falco's + bundled rules",
  script: path.join(REPO, "detector", "bin", "s3guard.js"),
  args: ["scan", "--rules", path.join(/** @type {string} */ (sharedDataDir()), "falco", "aws_cloudtrail_rules.yaml"), "--rules", path.join(REPO, "rules"), corpus.dir],
});
