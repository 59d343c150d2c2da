import * as path from "node:path";

/**
 * The log bucket key for a sample file: CloudTrail's own layout when the file name is a CloudTrail
 * log name (<account>_CloudTrail_<region>_<yyyymmdd>T<hhmm>Z_<id>.json[.gz]), else a samples/ path
 * under the same prefix. Keys always end in .gz: the objects are stored gzip, as CloudTrail does.
 */
export function sampleLogKey(file: string, samplesDir: string): string {
  const base = path.basename(file).replace(/\.gz$/, "");
  const m = /^(\d{12})_CloudTrail_([a-z0-9-]+)_(\d{4})(\d{2})(\d{2})T\d{4}Z_/.exec(base);
  if (m) return `AWSLogs/${m[1]}/CloudTrail/${m[2]}/${m[3]}/${m[4]}/${m[5]}/${base}.gz`;
  const rel = path.relative(samplesDir, file).split(path.sep).join("/").replace(/\.gz$/, "");
  return `AWSLogs/000000000000/CloudTrail/us-east-1/samples/${rel}.gz`;
}
