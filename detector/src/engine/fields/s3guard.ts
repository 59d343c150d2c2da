import type { EventContext } from "../event";
import { parseIpAddress } from "../condition/operators/ipnet";
import { FieldDef, FieldType, FieldValue, Json, member, path } from "./types";

/**
 * s3guard's own fields (`s3guard.*`): facts a Falco condition cannot compute from one record's
 * JSON, or not at all with Falco's operators. Falco does not know them: a rule that uses one loads
 * in Falco only with `skip-if-unknown-filter: true` (and is then skipped there).
 */

function own(name: string, type: FieldType, desc: string, get: (ev: EventContext) => FieldValue | undefined): FieldDef {
  return { name, type, arg: "none", desc, bind: () => get };
}

const nonEmpty = (v: Json): string | undefined => (typeof v === "string" && v !== "" ? v : undefined);

/**
 * The credentials' session, for grouping one episode's records (`suppress: {group_by:
 * [s3guard.session]}`): who, and which issuance of credentials. Temporary credentials (a console
 * sign-in, an assumed role) are identified by when they were issued; long-term keys by the key.
 */
export function sessionOf(record: Json): string | undefined {
  const ui = member(record, "userIdentity");
  const who =
    nonEmpty(member(ui, "arn")) ??
    nonEmpty(member(ui, "principalId")) ??
    nonEmpty(member(ui, "invokedBy")) ??
    (nonEmpty(member(ui, "type")) && nonEmpty(member(ui, "accountId")) ? `${member(ui, "type")}:${member(ui, "accountId")}` : undefined);
  if (who === undefined) return undefined;
  const issued = nonEmpty(path(ui, ["sessionContext", "attributes", "creationDate"]));
  if (issued !== undefined) return `${who}@${issued}`;
  const key = nonEmpty(member(ui, "accessKeyId"));
  return key !== undefined ? `${who}@${key}` : who;
}

export const S3GUARD_FIELDS: FieldDef[] = [
  own(
    "s3guard.srcnet",
    "ipnet",
    "the caller's address (sourceIPAddress) when it is an IP address, compared against networks: `s3guard.srcnet in (10.0.0.0/8, 2001:db8::/32)`; missing for a service name or \"AWS Internal\"",
    (ev) => {
      const ip = ev.record.sourceIPAddress;
      return typeof ip === "string" && parseIpAddress(ip) !== undefined ? ip : undefined;
    },
  ),
  own(
    "s3guard.session",
    "string",
    "the credentials' session, to group an episode (suppress group_by): <principal ARN>@<session creationDate> for temporary credentials, <principal ARN>@<accessKeyId> for long-term keys, else the principal",
    (ev) => ev.memoize("s3guard.session", () => sessionOf(ev.record)),
  ),
  own(
    "s3guard.trusted_network",
    "bool",
    "true when the caller's IP address is in s3guard_trusted_networks, false when not; missing when that list is empty or the source is not an IP address (so `s3guard.trusted_network = false` stays quiet until networks are configured)",
    (ev) => {
      const ip = ev.record.sourceIPAddress;
      return typeof ip === "string" ? ev.run.context?.isTrustedAddress(ip) : undefined;
    },
  ),
  own(
    "s3guard.watched_bucket",
    "bool",
    "true when the request's bucket (s3.bucket) is one of s3guard_watched_buckets (the buckets the deployment's trail records object calls for); missing without a bucket",
    (ev) => {
      const bucket = path(ev.record, ["requestParameters", "bucketName"]);
      if (typeof bucket !== "string") return undefined;
      return ev.run.context?.isWatchedBucket(bucket) ?? false;
    },
  ),
  own(
    "s3guard.log_bucket",
    "bool",
    "true when the request's bucket (s3.bucket) receives CloudTrail log files: listed in s3guard_cloudtrail_log_buckets (the deployment context fills it) or named by a successful CreateTrail/UpdateTrail seen earlier; missing without a bucket",
    (ev) => {
      const bucket = path(ev.record, ["requestParameters", "bucketName"]);
      if (typeof bucket !== "string") return undefined;
      return ev.run.context?.isLogBucket(bucket) ?? false;
    },
  ),
];
