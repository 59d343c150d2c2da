/**
 * S3's naming rules for general purpose buckets
 * (https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html).
 *
 * A watched bucket's name becomes a CloudTrail selector value and a resource name in
 * PublicAccessGuard, so a name S3 could never have is a typo worth catching before `pulumi up`.
 */

const RESERVED_PREFIXES = ["xn--", "sthree-", "amzn-s3-demo-"];
const RESERVED_SUFFIXES = ["-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3"];
const IP_ADDRESS = /^\d{1,3}(\.\d{1,3}){3}$/;

/**
 * Why `name` cannot be an S3 general purpose bucket name, or `undefined` when it can.
 * The reason is a phrase that completes "bucket names must ...".
 */
export function bucketNameProblem(name: string): string | undefined {
  if (name.length < 3 || name.length > 63) {
    return `be 3 to 63 characters long (this one has ${name.length})`;
  }
  if (!/^[a-z0-9.-]+$/.test(name)) {
    return "use only lowercase letters, digits, dots and hyphens";
  }
  if (!/^[a-z0-9]/.test(name) || !/[a-z0-9]$/.test(name)) {
    return "begin and end with a lowercase letter or digit";
  }
  if (name.includes("..")) {
    return "not contain two adjacent dots";
  }
  if (IP_ADDRESS.test(name)) {
    return "not be formatted as an IP address";
  }
  const prefix = RESERVED_PREFIXES.find((p) => name.startsWith(p));
  if (prefix !== undefined) {
    return `not start with the reserved prefix "${prefix}"`;
  }
  const suffix = RESERVED_SUFFIXES.find((s) => name.endsWith(s));
  if (suffix !== undefined) {
    return `not end with the reserved suffix "${suffix}"`;
  }
  return undefined;
}
