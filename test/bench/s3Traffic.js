// @ts-check
"use strict";
/**
 * Skewed S3 data-event traffic, as a busy watched bucket produces it: three application roles make
 * most of the calls (a web service, an ETL job, a backup job), about forty other principals the
 * rest; reads and writes of a great many distinct objects across five buckets; a few deletions,
 * listings and refused calls. Written (once) as gzip CloudTrail files of 1,000 records, one file a
 * minute, with fixed seeds so every run measures the same records.
 */
const fs = require("node:fs");
const path = require("node:path");
const zlib = require("node:zlib");

/** A small deterministic generator (mulberry32): the corpus must be the same on every machine. */
function random(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ACCOUNT = "123456789012";
const BUCKETS = ["acme-data-lake", "acme-backups", "acme-customer-uploads", "acme-reports", "acme-web-assets"];

/** Principals with their share of the calls: the first three are the busy roles. */
function principals() {
  const roles = [
    { name: "web-service", weight: 45, calls: { GetObject: 70, HeadObject: 15, PutObject: 12, ListObjects: 2, DeleteObject: 1 } },
    { name: "etl-job", weight: 25, calls: { GetObject: 50, PutObject: 40, ListObjects: 5, DeleteObject: 5 } },
    { name: "backup-job", weight: 15, calls: { PutObject: 80, ListObjects: 10, DeleteObject: 10 } },
  ];
  const list = roles.map((r) => ({ ...r, kind: "role" }));
  for (let i = 0; i < 40; i++) {
    list.push({ name: i % 4 === 0 ? `analyst-${i}` : `app-${i}`, weight: 15 / 40, kind: i % 4 === 0 ? "user" : "role", calls: { GetObject: 60, HeadObject: 10, PutObject: 20, ListObjects: 8, DeleteObject: 2 } });
  }
  return list;
}

function pick(rand, weighted) {
  const total = weighted.reduce((s, [, w]) => s + w, 0);
  let x = rand() * total;
  for (const [v, w] of weighted) if ((x -= w) < 0) return v;
  return weighted[weighted.length - 1][0];
}

function identity(p, rand) {
  if (p.kind === "user") {
    return { type: "IAMUser", principalId: `AIDA${p.name.toUpperCase().replace(/-/g, "")}EXAMPLE`, arn: `arn:aws:iam::${ACCOUNT}:user/${p.name}`, accountId: ACCOUNT, accessKeyId: `AKIA${p.name.toUpperCase().replace(/-/g, "")}`, userName: p.name };
  }
  const session = `${p.name}-${Math.floor(rand() * 4)}`;
  return {
    type: "AssumedRole",
    principalId: `AROAEXAMPLE${p.name.toUpperCase().replace(/-/g, "")}:${session}`,
    arn: `arn:aws:sts::${ACCOUNT}:assumed-role/${p.name}/${session}`,
    accountId: ACCOUNT,
    accessKeyId: `ASIAEXAMPLE${p.name.toUpperCase().replace(/-/g, "")}`,
    sessionContext: {
      sessionIssuer: { type: "Role", principalId: `AROAEXAMPLE${p.name.toUpperCase().replace(/-/g, "")}`, arn: `arn:aws:iam::${ACCOUNT}:role/${p.name}`, accountId: ACCOUNT, userName: p.name },
      attributes: { creationDate: "2024-05-01T00:00:00Z", mfaAuthenticated: "false" },
    },
  };
}

function hex(rand, n) {
  let s = "";
  for (let i = 0; i < n; i++) s += "0123456789abcdef"[Math.floor(rand() * 16)];
  return s;
}

function record(rand, p, time) {
  const eventName = pick(rand, Object.entries(p.calls));
  const bucket = BUCKETS[Math.min(BUCKETS.length - 1, Math.floor(-Math.log(1 - rand()) * 1.2))];
  // Many objects: keys by day and part number, so busy roles rarely repeat one.
  const key = `${p.name}/2024/05/${String(1 + Math.floor(rand() * 28)).padStart(2, "0")}/part-${String(Math.floor(rand() * 100000)).padStart(5, "0")}.parquet`;
  const readOnly = eventName === "GetObject" || eventName === "HeadObject" || eventName === "ListObjects";
  const requestParameters = eventName === "ListObjects" ? { bucketName: bucket, Host: `${bucket}.s3.us-east-1.amazonaws.com`, prefix: `${p.name}/2024/05/`, "list-type": "2" } : { bucketName: bucket, Host: `${bucket}.s3.us-east-1.amazonaws.com`, key };
  const bytes = Math.floor(rand() * 8_000_000);
  const r = {
    eventVersion: "1.09",
    userIdentity: identity(p, rand),
    eventTime: new Date(time).toISOString().replace(/\.\d{3}Z$/, "Z"),
    eventSource: "s3.amazonaws.com",
    eventName,
    awsRegion: "us-east-1",
    sourceIPAddress: p.kind === "user" ? `198.51.100.${1 + Math.floor(rand() * 50)}` : `10.0.${Math.floor(rand() * 4)}.${1 + Math.floor(rand() * 250)}`,
    userAgent: p.kind === "user" ? "[aws-cli/2.15.0 Python/3.11.6 Linux/6.1 exe/x86_64]" : "[aws-sdk-java/2.25.11 Linux/5.10 OpenJDK_64-Bit_Server_VM/17.0.10]",
    requestParameters,
    responseElements: eventName === "PutObject" ? { "x-amz-server-side-encryption": "aws:kms" } : null,
    additionalEventData: {
      SignatureVersion: "SigV4",
      CipherSuite: "TLS_AES_128_GCM_SHA256",
      bytesTransferredIn: eventName === "PutObject" ? bytes : 0,
      AuthenticationMethod: "AuthHeader",
      "x-amz-id-2": hex(rand, 40),
      bytesTransferredOut: eventName === "GetObject" ? bytes : 0,
    },
    requestID: hex(rand, 16).toUpperCase(),
    eventID: `${hex(rand, 8)}-${hex(rand, 4)}-${hex(rand, 4)}-${hex(rand, 4)}-${hex(rand, 12)}`,
    readOnly,
    resources: [
      ...(eventName === "ListObjects" ? [] : [{ type: "AWS::S3::Object", ARN: `arn:aws:s3:::${bucket}/${key}` }]),
      { accountId: ACCOUNT, type: "AWS::S3::Bucket", ARN: `arn:aws:s3:::${bucket}` },
    ],
    eventType: "AwsApiCall",
    managementEvent: false,
    recipientAccountId: ACCOUNT,
    ...(p.kind === "role" ? { vpcEndpointId: "vpce-0a1b2c3d4e5f67890" } : {}),
    eventCategory: "Data",
    tlsDetails: { tlsVersion: "TLSv1.3", cipherSuite: "TLS_AES_128_GCM_SHA256", clientProvidedHostHeader: `${bucket}.s3.us-east-1.amazonaws.com` },
  };
  if (rand() < 0.01) Object.assign(r, { errorCode: "AccessDenied", errorMessage: "Access Denied" });
  return r;
}

/**
 * Writes (once) `count` records of skewed S3 traffic as gzip files under `dir`; returns the folder
 * and the record count.
 */
function buildS3Corpus(dir, count) {
  const stamp = path.join(dir, `s3-${count}.done`);
  const files = path.join(dir, `s3-${count}`);
  if (fs.existsSync(stamp)) return { dir: files, records: count };
  fs.rmSync(files, { recursive: true, force: true });
  fs.mkdirSync(files, { recursive: true });
  const rand = random(12);
  const who = principals().map((p) => /** @type {[any, number]} */ ([p, p.weight]));
  const start = Date.parse("2024-05-01T00:00:00Z");
  const perFile = 1000;
  let written = 0;
  for (let n = 0; written < count; n++) {
    const batch = [];
    for (let i = 0; i < perFile && written < count; i++, written++) batch.push(record(rand, pick(rand, who), start + written * 60));
    const name = `${ACCOUNT}_CloudTrail_us-east-1_20240501T${String(n).padStart(4, "0")}Z_s3.json.gz`;
    fs.writeFileSync(path.join(files, name), zlib.gzipSync(JSON.stringify({ Records: batch })));
  }
  fs.writeFileSync(stamp, "");
  return { dir: files, records: count };
}

module.exports = { buildS3Corpus };
