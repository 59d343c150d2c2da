import { formatAddress, parseIpAddress, parseIpNetwork } from "../../../detector/src/engine/condition/operators/ipnet";
import { baseEvent } from "../../support/events";
import { load, matches } from "../../support/engine";

/** Addresses and networks for `s3guard.srcnet`: the caller's address tested against CIDR blocks. */

const from = (ip: string) => ({ ...baseEvent("E1"), sourceIPAddress: ip });

describe("IP addresses and networks", () => {
  it.each([
    ["203.0.113.7", 32, 0xcb007107n],
    ["0.0.0.0", 32, 0n],
    ["2001:db8::1", 128, 0x20010db8000000000000000000000001n],
    ["::1", 128, 1n],
    ["::", 128, 0n],
    ["::ffff:203.0.113.7", 32, 0xcb007107n],
    ["2001:db8:0:0:0:0:0:1", 128, 0x20010db8000000000000000000000001n],
  ])("reads %s", (text, bits, value) => {
    expect(parseIpAddress(text)).toEqual({ bits, value });
  });

  it.each(["203.0.113", "256.0.0.1", "01.2.3.4", "1.2.3.4.5", "2001:db8:::1", "1:2:3:4:5:6:7:8:9", "g::1", "AWS Internal", "s3.amazonaws.com", ""])(
    "refuses %s as an address",
    (text) => {
      expect(parseIpAddress(text)).toBeUndefined();
    },
  );

  it("reads a network as an address and a prefix, a bare address as one host", () => {
    expect(parseIpNetwork("10.0.0.0/8")).toEqual({ bits: 32, value: 0x0a000000n, prefix: 8 });
    expect(parseIpNetwork("203.0.113.7")).toEqual({ bits: 32, value: 0xcb007107n, prefix: 32 });
    expect(parseIpNetwork("2001:db8::/32")).toMatchObject({ bits: 128, prefix: 32 });
    expect(parseIpNetwork("::ffff:10.0.0.0/104")).toEqual({ bits: 32, value: 0x0a000000n, prefix: 8 });
  });

  it("explains what is wrong with a network that is not one", () => {
    expect(parseIpNetwork("10.0.0/8")).toEqual({ error: expect.stringContaining("'10.0.0/8' is not an IP network: write an address (203.0.113.7) or a CIDR block") });
    expect(parseIpNetwork("10.0.0.0/33")).toEqual({ error: "'10.0.0.0/33' is not an IP network: the prefix length must be 0 to 32" });
    expect(parseIpNetwork("10.1.2.3/8")).toEqual({ error: expect.stringContaining("write 10.0.0.0/8 for the block, or the address alone") });
  });

  it("prints addresses as they are usually written", () => {
    expect(formatAddress({ bits: 32, value: 0x0a000001n })).toBe("10.0.0.1");
    expect(formatAddress({ bits: 128, value: 0x20010db8000000000000000000000001n })).toBe("2001:db8::1");
  });
});

describe("s3guard.srcnet", () => {
  it("is in a network when the caller's address lies inside it", () => {
    expect(matches("s3guard.srcnet in (10.0.0.0/8, 192.168.0.0/16)", from("10.20.30.40"))).toBe(true);
    expect(matches("s3guard.srcnet in (10.0.0.0/8, 192.168.0.0/16)", from("11.0.0.1"))).toBe(false);
    expect(matches("s3guard.srcnet = 203.0.113.0/24", from("203.0.113.255"))).toBe(true);
    expect(matches("s3guard.srcnet = 203.0.113.7", from("203.0.113.7"))).toBe(true);
    expect(matches("s3guard.srcnet = 203.0.113.7", from("203.0.113.8"))).toBe(false);
    expect(matches("s3guard.srcnet != 203.0.113.0/24", from("198.51.100.1"))).toBe(true);
    expect(matches("s3guard.srcnet != 203.0.113.0/24", from("203.0.113.1"))).toBe(false);
  });

  it("compares IPv6 callers with IPv6 networks, and IPv4-mapped callers with IPv4 ones", () => {
    expect(matches("s3guard.srcnet in (2001:db8::/32)", from("2001:db8:1234::5"))).toBe(true);
    expect(matches("s3guard.srcnet in (2001:db8::/32)", from("2001:db9::5"))).toBe(false);
    expect(matches("s3guard.srcnet in (10.0.0.0/8)", from("::ffff:10.1.2.3"))).toBe(true);
    expect(matches("s3guard.srcnet in (0.0.0.0/0)", from("2001:db8::1"))).toBe(false);
  });

  it("is missing when CloudTrail wrote a service name or AWS Internal instead of an address", () => {
    for (const src of ["s3.amazonaws.com", "AWS Internal"]) {
      expect(matches("s3guard.srcnet exists", from(src))).toBe(false);
      expect(matches("s3guard.srcnet in (0.0.0.0/0)", from(src))).toBe(false);
      expect(matches("s3guard.srcnet != 10.0.0.0/8", from(src))).toBe(false);
      expect(matches("not s3guard.srcnet in (10.0.0.0/8)", from(src))).toBe(true);
    }
  });

  it("takes networks from a list, and an empty list contains nothing", () => {
    const rules = (items: string[]) => [
      { list: "office", items },
      { rule: "r", desc: "d", condition: "s3guard.srcnet in (office)", output: "o", priority: "WARNING", source: "aws_cloudtrail" },
    ];
    const ruleset = (items: string[]) => load(rules(items)).ruleset!;
    expect(ruleset(["198.51.100.0/24"]).evaluate(from("198.51.100.9"))).toHaveLength(1);
    expect(ruleset([]).evaluate(from("198.51.100.9"))).toHaveLength(0);
  });

  it("refuses a value that is not a network, with the value and how to write one", () => {
    const r = load([{ rule: "r", desc: "d", condition: "s3guard.srcnet in (10.0.0.0/8, 10.1.0/16)", output: "o", priority: "WARNING", source: "aws_cloudtrail" }]);
    expect(r.ok).toBe(false);
    expect(r.errors[0].code).toBe("LOAD_ERR_COMPILE_CONDITION");
    expect(r.errors[0].message).toContain("'10.1.0/16' is not an IP network");
  });

  it("refuses string operators, saying which operators compare networks", () => {
    const r = load([{ rule: "r", desc: "d", condition: "s3guard.srcnet startswith 10.", output: "o", priority: "WARNING", source: "aws_cloudtrail" }]);
    expect(r.errors[0].message).toBe("'startswith' operator not supported for ipnet filters (s3guard.srcnet compares against IP networks with =, != and in)");
  });

  it("prints the address in outputs", () => {
    const r = load([{ rule: "r", desc: "d", condition: "s3guard.srcnet exists", output: "from %s3guard.srcnet", priority: "WARNING", source: "aws_cloudtrail" }]);
    const [alert] = r.ruleset!.evaluate(from("203.0.113.7"));
    expect(alert.message).toBe("from 203.0.113.7");
    expect(alert.outputFields["s3guard.srcnet"]).toBe("203.0.113.7");
  });
});
