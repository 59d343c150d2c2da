import type { EventContext } from "../event";
import { exactJsonText } from "../json/jsonText";
import { RawNumber } from "../json/exactJson";
import { asStr, FieldDef, FieldError, FieldValue, Json, member, path } from "./types";

/**
 * The fields of Falco's cloudtrail plugin (0.17.1): `ct.*`, `s3.*`, `ec2.*`, `ecr.*`, `iam.*`,
 * each extracted with the plugin's own logic (see shared/spec/cloudtrail-fields.md).
 */

type Get = (ev: EventContext) => FieldValue | undefined;

/** A plain string field read from a fixed path of object keys. */
function strAt(name: string, keys: string[], desc: string): FieldDef {
  let get: Get;
  if (keys.length === 1) {
    const [k] = keys;
    get = (ev) => {
      const v = ev.record[k];
      return v === undefined ? undefined : typeof v === "string" ? v : "";
    };
  } else {
    get = (ev) => asStr(path(ev.record, keys));
  }
  return field(name, desc, get);
}

function field(name: string, desc: string, get: Get, type: "string" | "uint64" = "string"): FieldDef {
  return { name, type, arg: "none", desc, bind: () => get };
}

/** `"true"` only for JSON `true`; present whenever the key exists. */
function boolText(name: string, key: string, desc: string): FieldDef {
  return field(name, desc, (ev) => {
    const v = ev.record[key];
    return v === undefined ? undefined : v === true ? "true" : "false";
  });
}

/** Compact JSON of a member, present whenever the key exists. */
function jsonOf(name: string, key: string, desc: string): FieldDef {
  return field(name, desc, (ev) => {
    const v = ev.record[key];
    if (v === undefined) return undefined;
    const known = ev.recall(name);
    if (typeof known === "string") return known;
    return ev.remember(name, exactJsonText(v, () => ev.exact[key], 0, (n) => ev.numberMayDiffer(n)));
  });
}

/**
 * The user of the event as the plugin names it, by identity type. `text` is what the plugin
 * prints even when the user is missing (`<NA>`, `<unknown user type>`).
 */
export function userIdentity(record: Json): { present: boolean; text: string } {
  const type = path(record, ["userIdentity", "type"]);
  if (typeof type !== "string") return { present: false, text: "" };
  const named = (v: Json) => (v === undefined ? { present: false, text: "<NA>" } : { present: true, text: asStr(v) as string });
  switch (type) {
    case "Root":
    case "IAMUser":
      return named(path(record, ["userIdentity", "userName"]));
    case "AWSService":
      return named(path(record, ["userIdentity", "invokedBy"]));
    case "AssumedRole": {
      const issuer = path(record, ["userIdentity", "sessionContext", "sessionIssuer", "userName"]);
      return issuer === undefined ? { present: true, text: "AssumedRole" } : named(issuer);
    }
    case "AWSAccount":
    case "FederatedUser":
      return { present: true, text: type };
    default:
      return { present: false, text: "<unknown user type>" };
  }
}

const USER_TYPE = ["userIdentity", "type"];
const USER_ACCOUNT = ["userIdentity", "accountId"];
const USER_NAME = ["userIdentity", "userName"];
const INVOKED_BY = ["userIdentity", "invokedBy"];
const ISSUER_NAME = ["userIdentity", "sessionContext", "sessionIssuer", "userName"];

/** userIdentity's text when present, without building the description (many rules read ct.user). */
export function ctUser(record: Json): string | undefined {
  const type = path(record, USER_TYPE);
  if (typeof type !== "string") return undefined;
  let v: Json;
  switch (type) {
    case "Root":
    case "IAMUser":
      v = path(record, USER_NAME);
      break;
    case "AWSService":
      v = path(record, INVOKED_BY);
      break;
    case "AssumedRole":
      v = path(record, ISSUER_NAME);
      if (v === undefined) return "AssumedRole";
      break;
    case "AWSAccount":
    case "FederatedUser":
      return type;
    default:
      return undefined;
  }
  return v === undefined ? undefined : asStr(v);
}

function ctOriginalUser(record: Json): string | undefined {
  if (path(record, ["userIdentity", "type"]) !== "AssumedRole") return asStr(path(record, ["userIdentity", "userName"]));
  const arn = path(record, ["userIdentity", "arn"]);
  if (arn !== undefined) {
    const parts = (asStr(arn) as string).split("/");
    if (parts.length === 3) return parts[2];
  }
  const principal = path(record, ["userIdentity", "principalId"]);
  if (principal !== undefined) {
    const parts = (asStr(principal) as string).split(":");
    if (parts.length === 2) return parts[1];
  }
  return undefined;
}

/** A byte count as the plugin reads it: unsigned integer, else float truncated, else 0. */
function u64(v: Json): bigint {
  const text = v instanceof RawNumber ? v.text : typeof v === "number" ? String(v) : undefined;
  if (text === undefined) return 0n;
  if (/^\d+$/.test(text) && text.length <= 20) {
    const n = BigInt(text);
    if (n < 1n << 64n) return n;
  }
  const f = Number(text);
  if (!Number.isFinite(f) || f < 0) return 0n;
  return BigInt(Math.trunc(Math.min(f, 1.8446744073709552e19)));
}

function s3Bytes(record: Json, which: ("bytesTransferredIn" | "bytesTransferredOut")[]): bigint | undefined {
  const aed = member(record, "additionalEventData");
  let total = 0n;
  let present = false;
  for (const k of which) {
    const v = member(aed, k);
    if (v !== undefined) {
      present = true;
      total += u64(v);
    }
  }
  return present ? total & 0xffffffffffffffffn : undefined;
}

const SUFFIX = ".amazonaws.com";

export function shortSource(src: string): string {
  return src.length > SUFFIX.length && src.endsWith(SUFFIX) ? src.slice(0, -SUFFIX.length) : src;
}

/** `ec2.imageids`: every image of the response's instances, or one by index, or the request's image. */
function imageIds(record: Json, index: number | undefined): string[] | undefined {
  const items = path(record, ["responseElements", "instancesSet", "items"]);
  if (items !== undefined) {
    const list = Array.isArray(items) ? items : [];
    if (index === undefined) {
      const ids = list.map((it) => asStr(member(it, "imageId")) ?? "").filter((s) => s !== "");
      return ids.length ? ids : undefined;
    }
    if (index >= list.length) return undefined;
    const id = member(list[index], "imageId");
    return id === undefined ? undefined : [asStr(id) as string];
  }
  if (index !== undefined && index !== 0) return undefined;
  for (const keys of [
    ["requestParameters", "imageId"],
    ["requestParameters", "DescribeFastLaunchImagesRequest", "ImageId", "content"],
    ["requestParameters", "launchSpecification", "imageId"],
  ]) {
    const v = path(record, keys);
    if (v !== undefined) return [asStr(v) as string];
  }
  return undefined;
}

function ec2Name(record: Json): string | undefined {
  const items = path(record, ["requestParameters", "tagSpecificationSet", "items"]);
  if (!Array.isArray(items)) return undefined;
  let name = "";
  for (const item of items) {
    if (member(item, "resourceType") !== "instance") continue;
    const tags = member(item, "tags");
    if (!Array.isArray(tags)) continue;
    for (const tag of tags) {
      if (member(tag, "key") === "Name") {
        name = asStr(member(tag, "value")) ?? "";
        break;
      }
    }
  }
  return name === "" ? undefined : name;
}

/** `ct.info`: who did what from where, with the object or host it touched. */
export function ctInfo(record: Json): string {
  const user = ctUser(record);
  if (user === undefined) return "<invalid cloudtrail event: userIdentity field missing>";
  const srcip = asStr(member(record, "sourceIPAddress"));
  if (srcip === undefined) return "<invalid cloudtrail event: eventSource field missing>";
  const err = member(record, "errorCode") !== undefined ? "!" : "";
  const ro = member(record, "readOnly");
  const rw = ro !== undefined && ro !== true ? "→" : "←";
  const name = asStr(member(record, "eventName"));
  if (name === undefined) return "<invalid cloudtrail event: eventName field missing>";
  let info = user === srcip ? `${user} ${err}${rw} ${name}` : `${user} via ${srcip} ${err}${rw} ${name}`;
  if (name === "PutBucketPublicAccessBlock") {
    const pac = path(record, ["requestParameters", "PublicAccessBlockConfiguration"]);
    if (pac !== null && typeof pac === "object" && !Array.isArray(pac)) {
      // The plugin looks the flags up at the top of the record, so they print false in practice.
      const flag = (k: string) => member(record, k) === true;
      info += ` BlockPublicAcls=${flag("BlockPublicAcls")} BlockPublicPolicy=${flag("BlockPublicPolicy")} IgnorePublicAcls=${flag("IgnorePublicAcls")} RestrictPublicBuckets=${flag("RestrictPublicBuckets")} `;
    }
    return info;
  }
  const bytes = s3Bytes(record, ["bytesTransferredIn", "bytesTransferredOut"]);
  if (bytes !== undefined) info += ` Size=${bytes}`;
  const uri = s3Uri(record);
  if (uri !== undefined) return `${info} URI=${uri}`;
  for (const [label, key] of [
    ["Bucket", "bucketName"],
    ["Key", "key"],
    ["Host", "Host"],
  ]) {
    const v = asStr(path(record, ["requestParameters", key]));
    if (v !== undefined) return `${info} ${label}=${v}`;
  }
  return info;
}

function s3Uri(record: Json): string | undefined {
  const bucket = path(record, ["requestParameters", "bucketName"]);
  const key = path(record, ["requestParameters", "key"]);
  return typeof bucket === "string" && typeof key === "string" ? `s3://${bucket}/${key}` : undefined;
}

const req = (k: string) => ["requestParameters", k];

export const CLOUDTRAIL_FIELDS: FieldDef[] = [
  strAt("ct.id", ["eventID"], "the unique ID of the event (eventID)"),
  strAt("ct.error", ["errorCode"], "the error code; missing when the call succeeded"),
  strAt("ct.errormessage", ["errorMessage"], "the error message"),
  strAt("ct.time", ["eventTime"], "the event time as written (eventTime)"),
  strAt("ct.src", ["eventSource"], "the service that produced the event (eventSource)"),
  field("ct.shortsrc", "eventSource without '.amazonaws.com'", (ev) => {
    const v = ev.record.eventSource;
    return v === undefined ? undefined : typeof v === "string" ? shortSource(v) : "";
  }),
  strAt("ct.name", ["eventName"], "the API call (eventName)"),
  field("ct.user", "the user: userName, invokedBy, the role of an assumed role, or the identity type", (ev) => ctUser(ev.record)),
  field("ct.originaluser", "the session name of an assumed role, else userIdentity.userName", (ev) => ctOriginalUser(ev.record)),
  field("ct.user.accountid", "userIdentity.accountId, else recipientAccountId", (ev) => {
    const v = path(ev.record, USER_ACCOUNT);
    return asStr(v !== undefined ? v : ev.record.recipientAccountId);
  }),
  strAt("ct.user.identitytype", ["userIdentity", "type"], "the identity type (Root, IAMUser, AssumedRole...)"),
  strAt("ct.user.principalid", ["userIdentity", "principalId"], "the principal id of the caller"),
  strAt("ct.user.arn", ["userIdentity", "arn"], "the ARN of the caller"),
  strAt("ct.region", ["awsRegion"], "the region (awsRegion)"),
  strAt("ct.response.subnetid", ["responseElements", "subnetId"], "responseElements.subnetId"),
  strAt("ct.response.reservationid", ["responseElements", "reservationId"], "responseElements.reservationId"),
  jsonOf("ct.response", "responseElements", "all response elements, as JSON"),
  strAt("ct.request.availabilityzone", req("availabilityZone"), "requestParameters.availabilityZone"),
  strAt("ct.request.cluster", req("cluster"), "requestParameters.cluster"),
  strAt("ct.request.functionname", req("functionName"), "requestParameters.functionName"),
  strAt("ct.request.groupname", req("groupName"), "requestParameters.groupName"),
  strAt("ct.request.host", req("Host"), "requestParameters.Host"),
  strAt("ct.request.name", req("name"), "requestParameters.name"),
  strAt("ct.request.policy", req("policy"), "requestParameters.policy"),
  strAt("ct.request.reason", req("reason"), "requestParameters.reason"),
  strAt("ct.request.target", req("target"), "requestParameters.target"),
  // The plugin registers this field but never extracts it (its switch spells it documentName).
  field("ct.request.documentname", "never extracted by the cloudtrail plugin 0.17.1 (always missing)", () => undefined),
  strAt("ct.request.serialnumber", req("serialNumber"), "requestParameters.serialNumber"),
  strAt("ct.request.servicename", req("serviceName"), "requestParameters.serviceName"),
  strAt("ct.request.subnetid", req("subnetId"), "requestParameters.subnetId"),
  strAt("ct.request.taskdefinition", req("taskDefinition"), "requestParameters.taskDefinition"),
  strAt("ct.request.username", req("userName"), "requestParameters.userName"),
  jsonOf("ct.request", "requestParameters", "all request parameters, as JSON"),
  strAt("ct.srcip", ["sourceIPAddress"], "the caller's address (sourceIPAddress)"),
  strAt("ct.useragent", ["userAgent"], "the caller's user agent"),
  field("ct.info", "a one-line summary of the event", (ev) => ev.memoize("ct.info", () => ctInfo(ev.record))),
  boolText("ct.managementevent", "managementEvent", "'true' for management events"),
  boolText("ct.readonly", "readOnly", "'true' when the call only reads"),
  strAt("ct.requestid", ["requestID"], "requestID"),
  strAt("ct.eventtype", ["eventType"], "eventType"),
  strAt("ct.apiversion", ["apiVersion"], "apiVersion"),
  field("ct.resources", "the resources array, each as JSON, comma-separated", (ev) =>
    ev.memoize("ct.resources", () => {
      const v = ev.record.resources;
      if (!Array.isArray(v) || v.length === 0) return undefined;
      const text = v.map((r, i) => exactJsonText(r, () => (ev.exact.resources as unknown[] | undefined)?.[i], 0, (n) => ev.numberMayDiffer(n))).join(",");
      return text === "" ? undefined : text;
    }),
  ),
  strAt("ct.recipientaccountid", ["recipientAccountId"], "recipientAccountId"),
  strAt("ct.serviceeventdetails", ["serviceEventDetails"], "serviceEventDetails (empty when it is an object)"),
  strAt("ct.sharedeventid", ["sharedEventID"], "sharedEventID"),
  strAt("ct.vpcendpointid", ["vpcEndpointId"], "vpcEndpointId"),
  strAt("ct.eventcategory", ["eventCategory"], "eventCategory (Management, Data...)"),
  strAt("ct.addendum.reason", ["addendum", "reason"], "addendum.reason"),
  strAt("ct.addendum.updatedfields", ["addendum", "updatedFields"], "addendum.updatedFields"),
  strAt("ct.addendum.originalrequestid", ["addendum", "originalRequestID"], "addendum.originalRequestID"),
  strAt("ct.addendum.originaleventid", ["addendum", "originalEventID"], "addendum.originalEventID"),
  boolText("ct.sessioncredentialfromconsole", "sessionCredentialFromConsole", "'true' only for a JSON true"),
  strAt("ct.edgedevicedetails", ["edgeDeviceDetails"], "edgeDeviceDetails (empty when it is an object)"),
  strAt("ct.tlsdetails.tlsversion", ["tlsDetails", "tlsVersion"], "tlsDetails.tlsVersion"),
  strAt("ct.tlsdetails.ciphersuite", ["tlsDetails", "cipherSuite"], "tlsDetails.cipherSuite"),
  strAt("ct.tlsdetails.clientprovidedhostheader", ["tlsDetails", "clientProvidedHostHeader"], "tlsDetails.clientProvidedHostHeader"),
  jsonOf("ct.additionaleventdata", "additionalEventData", "all additional event data, as JSON"),

  field("s3.uri", "s3://<bucket>/<key>", (ev) => s3Uri(ev.record)),
  strAt("s3.bucket", req("bucketName"), "the bucket (requestParameters.bucketName)"),
  strAt("s3.key", req("key"), "the object key (requestParameters.key)"),
  field("s3.bytes", "bytes transferred in and out", (ev) => s3Bytes(ev.record, ["bytesTransferredIn", "bytesTransferredOut"]), "uint64"),
  field("s3.bytes.in", "bytes transferred in", (ev) => s3Bytes(ev.record, ["bytesTransferredIn"]), "uint64"),
  field("s3.bytes.out", "bytes transferred out", (ev) => s3Bytes(ev.record, ["bytesTransferredOut"]), "uint64"),
  field("s3.cnt.get", "1 for GetObject, else missing", (ev) => (ev.record.eventName === "GetObject" ? 1n : undefined), "uint64"),
  field("s3.cnt.put", "1 for PutObject, else missing", (ev) => (ev.record.eventName === "PutObject" ? 1n : undefined), "uint64"),
  field(
    "s3.cnt.other",
    "1 for calls other than GetObject and PutObject",
    (ev) => (ev.record.eventName === "GetObject" || ev.record.eventName === "PutObject" ? undefined : 1n),
    "uint64",
  ),

  field("ec2.name", "the Name tag of the instance in the request", (ev) => ec2Name(ev.record)),
  field("ec2.imageid", "deprecated: ec2.imageids[0]", (ev) => imageIds(ev.record, 0)?.[0]),
  {
    name: "ec2.imageids",
    type: "string",
    list: true,
    arg: "index-optional",
    desc: "the image ids of the instances; [N] for one of them",
    bind(arg) {
      if (arg === undefined) return (ev) => imageIds(ev.record, undefined);
      if (!/^(0|[1-9][0-9]*)$/.test(arg)) throw new FieldError(`filter 'ec2.imageids[${arg}]': ec2.imageids needs a numeric index argument, got '${arg}'`);
      const index = Number(arg);
      return (ev) => imageIds(ev.record, index);
    },
  },
  strAt("ecr.repository", req("repositoryName"), "requestParameters.repositoryName"),
  strAt("ecr.imagetag", req("imageTag"), "requestParameters.imageTag"),
  strAt("iam.role", req("roleName"), "requestParameters.roleName"),
  strAt("iam.policy", req("policyName"), "requestParameters.policyName"),
];
