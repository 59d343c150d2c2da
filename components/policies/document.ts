/**
 * IAM-style policy documents as plain data. Every policy s3guard attaches is built by a pure function
 * in this folder from plain strings, so tests read the exact statements AWS will evaluate.
 */

export type Principal = "*" | { readonly Service: string } | { readonly AWS: string | readonly string[] };

/** Condition operator -> condition key -> value(s), e.g. `{ StringEquals: { "aws:SourceArn": arn } }`. */
export type Conditions = Readonly<Record<string, Readonly<Record<string, string | readonly string[]>>>>;

export interface PolicyStatement {
  readonly Sid: string;
  readonly Effect: "Allow" | "Deny";
  readonly Principal?: Principal;
  readonly Action: string | readonly string[];
  readonly Resource: string | readonly string[];
  readonly Condition?: Conditions;
}

export interface PolicyDocument {
  readonly Version: "2012-10-17";
  readonly Statement: readonly PolicyStatement[];
}

export function policyDocument(statements: readonly PolicyStatement[]): PolicyDocument {
  return { Version: "2012-10-17", Statement: statements };
}

/**
 * Denies every request that does not use TLS. A Deny with Principal `*` is not "public" to S3's
 * Block Public Access, so it survives `blockPublicPolicy`.
 */
export function denyInsecureTransport(action: string, resources: readonly string[]): PolicyStatement {
  return {
    Sid: "DenyInsecureTransport",
    Effect: "Deny",
    Principal: "*",
    Action: action,
    Resource: resources,
    Condition: { Bool: { "aws:SecureTransport": "false" } },
  };
}

/** Trust policy letting one AWS service assume a role, optionally with confused-deputy conditions. */
export function assumeRolePolicy(service: string, conditions?: Conditions): PolicyDocument {
  return policyDocument([
    {
      Sid: "AllowServiceToAssumeRole",
      Effect: "Allow",
      Principal: { Service: service },
      Action: "sts:AssumeRole",
      ...(conditions !== undefined ? { Condition: conditions } : {}),
    } as PolicyStatement,
  ]);
}
