import { onInterrupt } from "../../../detector/src/cli/interrupt";

describe("Ctrl-C during a scan", () => {
  it("finishes once, exits 130, and a second Ctrl-C exits at once", () => {
    const events: string[] = [];
    const stop = onInterrupt(
      () => {
        events.push("finish");
        // A second Ctrl-C while finishing.
        process.emit("SIGINT", "SIGINT");
      },
      (code) => events.push(`exit ${code}`),
    );
    process.emit("SIGINT", "SIGINT");
    stop();
    expect(events).toEqual(["finish", "exit 130", "exit 130"]);
  });

  it("exits 130 even when finishing fails", () => {
    const codes: number[] = [];
    const stop = onInterrupt(
      () => {
        throw new Error("disk full");
      },
      (code) => codes.push(code),
    );
    expect(() => process.emit("SIGINT", "SIGINT")).toThrow("disk full");
    stop();
    expect(codes).toEqual([130]);
  });

  it("leaves SIGINT alone once removed", () => {
    const before = process.listenerCount("SIGINT");
    onInterrupt(() => undefined, () => undefined)();
    expect(process.listenerCount("SIGINT")).toBe(before);
  });
});
