import * as pulumi from "@pulumi/pulumi";
import { StackResource } from "../../policy/resources";

/**
 * Runs Pulumi programs under the SDK's mocks and keeps what they declare: every resource's type, name and the
 * inputs sent to the engine, as the policies would see them. The mocks echo inputs back as state, give buckets
 * their name as id (as AWS does) and answer the invokes a program uses to learn its account, region and partition.
 */

export const declared: StackResource[] = [];

const invokes: Record<string, Record<string, unknown>> = {
  "aws:index/getCallerIdentity:getCallerIdentity": { accountId: "111122223333", arn: "arn:aws:iam::111122223333:user/test", userId: "test" },
  "aws:index/getRegion:getRegion": { name: "eu-west-1", region: "eu-west-1", id: "eu-west-1", endpoint: "ec2.eu-west-1.amazonaws.com" },
  "aws:index/getPartition:getPartition": { partition: "aws", dnsSuffix: "amazonaws.com", id: "aws" },
};

export async function setUp(config: Record<string, string> = {}): Promise<void> {
  pulumi.runtime.setAllConfig(config);
  await pulumi.runtime.setMocks(
    {
      newResource: ({ type, name, inputs }) => {
        declared.push({ type, name, urn: `urn:pulumi:dev::s3guard::${type}::${name}`, props: inputs });
        const id = typeof inputs.bucket === "string" && type.startsWith("aws:s3/bucket") ? inputs.bucket : `${name}-id`;
        return { id, state: { ...inputs, arn: inputs.arn ?? `arn:aws:mock:eu-west-1:111122223333:${name}`, ...(type.startsWith("aws:s3/bucket") ? { bucket: inputs.bucket ?? id } : {}) } };
      },
      call: ({ token, inputs }) => invokes[token] ?? inputs,
    },
    "s3guard",
    "dev",
    false,
  );
}

/** Waits until every resource declared so far has been registered with the mocks. */
export async function registered(resources: readonly pulumi.Resource[]): Promise<void> {
  await Promise.all(resources.map((r) => new Promise((resolve) => r.urn.apply(resolve))));
  // Children of components and resources declared inside apply() register a little later.
  for (let i = 0; i < 20; i++) await new Promise((resolve) => setImmediate(resolve));
}

/** Waits until a program that declares resources on import (and inside apply callbacks) has stopped declaring them. */
export async function settled(): Promise<void> {
  let seen = -1;
  for (let quiet = 0; quiet < 5; ) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    quiet = declared.length === seen ? quiet + 1 : 0;
    seen = declared.length;
  }
}
