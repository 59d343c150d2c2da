/**
 * IP addresses and networks, for fields of type `ipnet` (as libsinsp's `fd.cnet`): `=`, `!=`, `in`
 * and `intersects` test whether the field's address lies in the given networks. A network is an
 * address (one host) or a CIDR block, IPv4 or IPv6; an IPv4-mapped IPv6 address (::ffff:a.b.c.d)
 * is its IPv4 address.
 */

/** An address as a number, with its family's width in bits. */
export interface IpAddress {
  bits: 32 | 128;
  value: bigint;
}

export interface IpNetwork extends IpAddress {
  /** Prefix length. */
  prefix: number;
}

const V4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

function parseV4(text: string): bigint | undefined {
  const m = V4.exec(text);
  if (!m) return undefined;
  let v = 0n;
  for (let i = 1; i <= 4; i++) {
    // Leading zeros are refused: 010.0.0.1 is octal to some readers and decimal to others.
    if (m[i].length > 1 && m[i][0] === "0") return undefined;
    const n = Number(m[i]);
    if (n > 255) return undefined;
    v = (v << 8n) | BigInt(n);
  }
  return v;
}

function parseV6(text: string): bigint | undefined {
  let body = text;
  let tail: bigint[] = [];
  const lastColon = body.lastIndexOf(":");
  if (body.includes(".")) {
    const v4 = parseV4(body.slice(lastColon + 1));
    if (v4 === undefined) return undefined;
    tail = [v4 >> 16n, v4 & 0xffffn];
    body = body.slice(0, lastColon + 1) + "0:0";
  }
  const halves = body.split("::");
  if (halves.length > 2) return undefined;
  const groups = (s: string) => (s === "" ? [] : s.split(":"));
  const head = groups(halves[0]);
  const rest = halves.length === 2 ? groups(halves[1]) : [];
  const missing = 8 - head.length - rest.length;
  if (halves.length === 2 ? missing < 1 : missing !== 0) return undefined;
  const all = [...head, ...Array<string>(halves.length === 2 ? missing : 0).fill("0"), ...rest];
  let v = 0n;
  for (const g of all) {
    if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return undefined;
    v = (v << 16n) | BigInt(parseInt(g, 16));
  }
  if (tail.length) v = (v >> 32n << 32n) | (tail[0] << 16n) | tail[1];
  return v;
}

const MAPPED_V4 = 0xffffn << 32n;

/** Parses an IPv4 or IPv6 address (no zone, no brackets); undefined when the text is not one. */
export function parseIpAddress(text: string): IpAddress | undefined {
  if (text.length === 0 || text.length > 45) return undefined;
  const v4 = parseV4(text);
  if (v4 !== undefined) return { bits: 32, value: v4 };
  if (!text.includes(":")) return undefined;
  const v6 = parseV6(text);
  if (v6 === undefined) return undefined;
  if (v6 >> 32n === MAPPED_V4 >> 32n) return { bits: 32, value: v6 & 0xffffffffn };
  return { bits: 128, value: v6 };
}

/**
 * Parses `address` or `address/prefix`. Host bits set below the prefix (10.1.2.3/8) are an
 * error: such a block is almost always a typo for another one.
 */
export function parseIpNetwork(text: string): IpNetwork | { error: string } {
  const slash = text.indexOf("/");
  const addrText = slash < 0 ? text : text.slice(0, slash);
  const addr = parseIpAddress(addrText);
  if (!addr) return { error: `'${text}' is not an IP network: write an address (203.0.113.7) or a CIDR block (203.0.113.0/24, 2001:db8::/32)` };
  if (slash < 0) return { ...addr, prefix: addr.bits };
  const prefixText = text.slice(slash + 1);
  const prefix = /^\d{1,3}$/.test(prefixText) ? Number(prefixText) : NaN;
  // An IPv4-mapped IPv6 block is written with an IPv6 prefix; count it on the IPv4 address.
  const mapped = addr.bits === 32 && addrText.includes(":");
  const effective = mapped ? prefix - 96 : prefix;
  if (!(effective >= 0 && effective <= addr.bits)) {
    return { error: `'${text}' is not an IP network: the prefix length must be 0 to ${mapped ? 128 : addr.bits}` };
  }
  const hostBits = BigInt(addr.bits - effective);
  if ((addr.value & ((1n << hostBits) - 1n)) !== 0n) {
    const base = (addr.value >> hostBits) << hostBits;
    return { error: `'${text}' has host bits set below its /${prefixText} prefix: write ${formatAddress({ bits: addr.bits, value: base })}/${prefixText} for the block, or the address alone` };
  }
  return { ...addr, prefix: effective };
}

export function formatAddress(a: IpAddress): string {
  if (a.bits === 32) return [24n, 16n, 8n, 0n].map((s) => String((a.value >> s) & 0xffn)).join(".");
  const groups: string[] = [];
  for (let s = 112n; s >= 0n; s -= 16n) groups.push(((a.value >> s) & 0xffffn).toString(16));
  return groups.join(":").replace(/(^|:)0(:0)+(:|$)/, "::");
}

export function inNetwork(a: IpAddress, n: IpNetwork): boolean {
  if (a.bits !== n.bits) return false;
  const shift = BigInt(n.bits - n.prefix);
  return a.value >> shift === n.value >> shift;
}

/** A test of an address (as text) against networks; text that is not an address matches none. */
export function networkMatcher(networks: readonly IpNetwork[]): (text: string) => boolean {
  return (text) => {
    const a = parseIpAddress(text);
    if (!a) return false;
    for (const n of networks) if (inNetwork(a, n)) return true;
    return false;
  };
}
