/**
 * The deployment context file: what the program knows about this deployment (its log bucket,
 * watched buckets, account, organization, trail, trusted accounts and networks), written as a
 * Falco rules file of list appends. The CloudConnector uploads it to the rules bucket beside the
 * rules; the detector applies it after every rules file (docs/deployment-context.md). Pure.
 */

/** Key of the context file in the rules bucket: beside `rules/`, not in it. */
export const CONTEXT_KEY = "context/s3guard-context.yaml";

export interface DeploymentContextInput {
  /** The Pulumi stack, named in the file's header. */
  readonly stack: string;
  /** aws, aws-us-gov, aws-cn: for the ARN patterns of trusted accounts. */
  readonly partition: string;
  /** Buckets the trail delivers log files to. */
  readonly logBuckets: readonly string[];
  readonly watchedBuckets: readonly string[];
  /** The accounts this deployment watches. */
  readonly accountIds: readonly string[];
  readonly organizationIds: readonly string[];
  /** Names and ARNs of the trails that must keep recording S3 data events. */
  readonly trails: readonly string[];
  /** Names and ARNs of those that record data events only, on purpose (no management events). @default [] */
  readonly dataOnlyTrails?: readonly string[];
  readonly trustedAccounts: readonly string[];
  readonly trustedNetworks: readonly string[];
}

/** A list and the items the context appends to it. */
export interface ContextList {
  readonly list: string;
  readonly items: readonly string[];
}

/**
 * The context lists, in a fixed order, empty ones left out. Trusted accounts (and the deployment's
 * own) also become principal and key ARN patterns, so rules that read policies and key ARNs trust
 * them as rules that read account ids do.
 */
export function contextLists(input: DeploymentContextInput): ContextList[] {
  const principalsOf = (id: string) => [`arn:${input.partition}:iam::${id}:*`, `arn:${input.partition}:sts::${id}:*`, `arn:${input.partition}:kms:*:${id}:*`, id];
  const lists: ContextList[] = [
    { list: "s3guard_cloudtrail_log_buckets", items: input.logBuckets },
    { list: "s3guard_watched_buckets", items: input.watchedBuckets },
    { list: "s3guard_account_ids", items: input.accountIds },
    { list: "s3guard_organization_ids", items: input.organizationIds },
    { list: "s3guard_data_event_trails", items: input.trails },
    { list: "s3guard_data_only_trails", items: input.dataOnlyTrails ?? [] },
    { list: "s3guard_trusted_external_accounts", items: input.trustedAccounts },
    { list: "s3guard_trusted_external_principals", items: [...input.accountIds, ...input.trustedAccounts].flatMap(principalsOf) },
    { list: "s3guard_trusted_networks", items: input.trustedNetworks },
  ];
  return lists.map((l) => ({ list: l.list, items: unique(l.items) })).filter((l) => l.items.length > 0);
}

/** The context file's text. Items are written as JSON strings, which YAML reads unchanged. */
export function deploymentContextFile(input: DeploymentContextInput): string {
  const lines = [
    `# s3guard deployment context for stack ${input.stack}, written by the s3guard Pulumi program.`,
    "# Do not edit: `pulumi up` rewrites it. Set what it holds in the stack configuration (s3guard:context),",
    "# or add items in a rules file of your own with `override: {items: append}`.",
  ];
  for (const { list, items } of contextLists(input)) {
    lines.push(`- list: ${list}`, `  items: [${items.map((i) => JSON.stringify(i)).join(", ")}]`, "  override: {items: append}");
  }
  return lines.join("\n") + "\n";
}

function unique(items: readonly string[]): string[] {
  return [...new Set(items.filter((i) => i !== ""))];
}
