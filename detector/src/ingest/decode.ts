import { constants, gunzipSync } from "node:zlib";

/** Bytes of a log file to text: gunzipped when gzip, UTF-8, without a byte-order mark. */
export interface Decoded {
  text: string;
  /** Set when the bytes were damaged; `text` then holds what could be recovered. */
  error?: string;
}

export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

function utf8(bytes: Uint8Array): string {
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("utf8");
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

export function decodeLogBytes(bytes: Uint8Array): Decoded {
  if (!isGzip(bytes)) return { text: utf8(bytes) };
  try {
    return { text: utf8(gunzipSync(bytes)) };
  } catch (e) {
    // A truncated or damaged gzip: keep what decompresses, so complete records are not lost.
    let recovered: Buffer = Buffer.alloc(0);
    try {
      recovered = gunzipSync(bytes, { finishFlush: constants.Z_SYNC_FLUSH });
    } catch {
      // nothing recoverable
    }
    return { text: utf8(recovered), error: `gzip: ${(e as Error).message} (${recovered.length} bytes recovered)` };
  }
}
