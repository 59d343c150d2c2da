import { asStr, FieldDef, path } from "./types";

/**
 * The field names of Sysdig's first Cloud Connector (`aws.*`), so rules written for it run
 * unmodified. Each reads like the cloudtrail plugin field it names in `aliasOf`, with the plugin's
 * modern semantics (as `jevt.*` here): a value absent from the record is missing, so `exists` is
 * false and every comparison is false, where Sysdig's legacy engine compared the text `<NA>`.
 */

function alias(name: string, of: FieldDef, what: string): FieldDef {
  return { ...of, name, aliasOf: of.name, desc: `Sysdig Cloud Connector name of ${of.name}: ${what}` };
}

export function sysdigAliases(byName: ReadonlyMap<string, FieldDef>): FieldDef[] {
  const ct = (name: string): FieldDef => {
    const def = byName.get(name);
    if (!def) throw new Error(`alias of unknown field ${name}`);
    return def;
  };
  return [
    alias("aws.eventName", ct("ct.name"), "the API call (eventName)"),
    alias("aws.eventSource", ct("ct.src"), "the service (eventSource, e.g. s3.amazonaws.com)"),
    alias("aws.errorCode", ct("ct.error"), "the error code; missing when the call succeeded"),
    alias("aws.sourceIP", ct("ct.srcip"), "the caller's address (sourceIPAddress)"),
    alias("aws.region", ct("ct.region"), "the region (awsRegion)"),
    alias("aws.user", ct("ct.user"), "the user name, the role of an assumed role, or the invoking service"),
    {
      name: "aws.accountId",
      type: "string",
      arg: "none",
      aliasOf: "ct.recipientaccountid",
      desc: "Sysdig Cloud Connector name of the event's account: recipientAccountId, else userIdentity.accountId",
      bind: () => (ev) => {
        const recipient = ev.record.recipientAccountId;
        return asStr(recipient !== undefined ? recipient : path(ev.record, ["userIdentity", "accountId"]));
      },
    },
  ];
}
