import { loaded, rule } from "../support/engine";
import { baseEvent } from "../support/events";

/** `Ruleset.watch`: how stateful rule kinds receive matches from the engine. */

const E1 = baseEvent("E1");
const named = (name: string, condition: string, extra: Record<string, unknown> = {}) => ({ ...rule(condition, name, extra), rule: name });

describe("watched rules", () => {
  it("held: the engine hands the match over instead of alerting", () => {
    const rs = loaded([named("held", "ct.name = CreateBucket")]);
    rs.watch("held", "hold");
    const r = rs.inspect(E1);
    expect(r.alerts).toEqual([]);
    expect(r.watched?.map((w) => [w.rule.name, w.active])).toEqual([["held", true]]);
    expect(r.watched?.[0].alert().message).toBe("held");
  });

  it("reported: the rule alerts as usual and its match is handed over too", () => {
    const rs = loaded([named("reported", "ct.name = CreateBucket")]);
    rs.watch("reported", "report");
    const r = rs.inspect(E1);
    expect(r.alerts.map((a) => a.rule)).toEqual(["reported"]);
    expect(r.watched?.map((w) => w.rule.name)).toEqual(["reported"]);
  });

  it("under rule matching first, watched rules neither stop the others nor are stopped", () => {
    const rules = [named("held", "ct.name = CreateBucket"), named("plain 1", "ct.name exists"), named("reported", "ct.src exists"), named("plain 2", "ct.region exists")];
    const rs = loaded(rules, { ruleMatching: "first" });
    rs.watch("held", "hold");
    rs.watch("reported", "report");
    const r = rs.inspect(E1);
    // plain 1 is the first rule to alert; reported matched after it, so it is handed over without alerting.
    expect(r.alerts.map((a) => a.rule)).toEqual(["plain 1"]);
    expect(r.watched?.map((w) => w.rule.name)).toEqual(["held", "reported"]);
  });

  it("evaluates a watched rule that is disabled or below the minimum priority, marked inactive, without alerting", () => {
    const rules = [named("disabled", "ct.name = CreateBucket", { enabled: false }), named("debug", "ct.name = CreateBucket", { priority: "DEBUG" })];
    const rs = loaded(rules, { minimumPriority: "Notice" });
    rs.watch("disabled", "report");
    rs.watch("debug", "hold");
    const r = rs.inspect(E1);
    expect(r.alerts).toEqual([]);
    expect(r.watched?.map((w) => [w.rule.name, w.active])).toEqual([
      ["disabled", false],
      ["debug", false],
    ]);
  });

  it("rebuilds an alert for a record evaluated earlier", () => {
    const rs = loaded([named("r", "ct.name = CreateBucket")]);
    const ev = rs.contextOf(E1);
    expect(rs.alertFor(rs.rules[0], ev)).toMatchObject({ rule: "r", event: E1, time: "2024-05-01T12:00:00.000000000Z" });
  });
});
