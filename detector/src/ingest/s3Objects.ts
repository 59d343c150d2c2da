import { GetObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import type { LogObjectRef } from "./notifications";

/** A log object that could not be fetched; the message says what to check. */
export class ObjectReadError extends Error {
  constructor(
    readonly ref: LogObjectRef,
    message: string,
  ) {
    super(`s3://${ref.bucket}/${ref.key}: ${message}`);
    this.name = "ObjectReadError";
  }
}

/** Whose credentials read the object, for the access-denied hint: the task's own role, or a role it assumed. */
export type ObjectReader = { readonly role?: string };

function explain(e: unknown, reader: ObjectReader = {}): string {
  const err = e as { name?: string; message?: string; $metadata?: { httpStatusCode?: number } };
  switch (err.name) {
    case "NoSuchKey":
    case "NotFound":
      return "no such object (deleted, or the notification names the wrong bucket or key)";
    case "NoSuchBucket":
      return "no such bucket";
    case "AccessDenied":
      return reader.role !== undefined
        ? `access denied to the read role ${reader.role}: its policy needs s3:GetObject on the bucket's AWSLogs/* (and kms:Decrypt with the logs' key, which the key policy must allow); the log archive stack grants both`
        : "access denied: the task role needs s3:GetObject on the log bucket (and kms:Decrypt if it is encrypted with a KMS key)";
    default:
      return `${err.name ?? "error"}: ${err.message ?? String(e)}`;
  }
}

/**
 * The object's content: its bytes when it is at most `wholeBytes` long (read in one go, parsed in
 * one go), else a stream of its chunks, so a large object never sits in memory whole. A failure
 * while streaming surfaces from the stream, after the chunks before it.
 */
export async function openLogObject(
  s3: S3Client,
  ref: LogObjectRef,
  wholeBytes: number,
  signal?: AbortSignal,
  reader: ObjectReader = {},
): Promise<Uint8Array | AsyncIterable<Uint8Array>> {
  try {
    const res = await s3.send(new GetObjectCommand({ Bucket: ref.bucket, Key: ref.key }), { abortSignal: signal });
    if (!res.Body) throw new Error("the response has no body");
    if (res.ContentLength !== undefined && res.ContentLength <= wholeBytes) return await res.Body.transformToByteArray();
    return res.Body as unknown as AsyncIterable<Uint8Array>;
  } catch (e) {
    throw new ObjectReadError(ref, explain(e, reader));
  }
}
