// @ts-check
"use strict";
/**
 * Bench figure: stateful rules that match every record, state in memory: a threshold per user and
 * event name, a distinct count of event names per source IP, suppression per user, and a sequence
 * from any read to any write by the same user. Every record goes through the store several times;
 * the figure is the cost of stateful rules at their busiest.
 */
const fs = require("node:fs");
const path = require("node:path");
const { REPO } = require("./corpus");

const RULES = `
- rule: Bench threshold per user and call
  desc: bench
  condition: ct.name exists
  output: "%ct.user %ct.name"
  priority: INFO
  source: aws_cloudtrail
  threshold: {count: 50, window: 10m, group_by: [ct.user, ct.name]}

- rule: Bench distinct calls per address
  desc: bench
  condition: ct.srcip exists
  output: "%ct.srcip"
  priority: INFO
  source: aws_cloudtrail
  threshold: {count: 20, window: 1h, group_by: [ct.srcip], distinct: ct.name}

- rule: Bench suppressed per user
  desc: bench
  condition: ct.user exists
  output: "%ct.user"
  priority: INFO
  source: aws_cloudtrail
  suppress: {window: 1h, group_by: [ct.user]}

- rule: Bench read
  desc: bench
  condition: ct.readonly = true
  output: "%ct.user"
  priority: INFO
  source: aws_cloudtrail
  enabled: false

- rule: Bench write after read
  desc: bench
  condition: ct.readonly = false
  output: "%ct.user"
  priority: INFO
  source: aws_cloudtrail
  sequence: {after: Bench read, within: 10m, by: [ct.user]}
  suppress: {window: 10m, group_by: [ct.user, ct.name]}
`;

module.exports = (corpus, workDir) => {
  const file = path.join(workDir, "stateful-every-record.yaml");
  fs.writeFileSync(file, RULES);
  return {
    name: "s3guard scan, stateful rules on every record",
    script: path.join(REPO, "detector", "bin", "s3guard.js"),
    args: ["scan", "--workers", "1", "--rule-matching", "all", "--rules", file, corpus.dir],
  };
};
