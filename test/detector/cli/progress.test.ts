import { duration, progressLine } from "../../../detector/src/cli/progress";

describe("progress line", () => {
  const stats = { inputs: 3, events: 5000, alerts: 7 };

  it("shows counts and rate when the inputs' size is not known (stdin)", () => {
    expect(progressLine(stats, { inputs: 4, bytes: undefined, bytesRead: () => 0 }, 2)).toBe("3/4 inputs, 5000 events, 7 alerts, 2500 events/s");
    expect(progressLine(stats, undefined, 2)).toBe("3 inputs, 5000 events, 7 alerts, 2500 events/s");
  });

  it("shows the percentage read and the time left at the rate so far when sizes are known", () => {
    const plan = { inputs: 4, bytes: 1000, bytesRead: () => 250 };
    expect(progressLine(stats, plan, 10)).toBe(" 25% 3/4 inputs, 5000 events, 7 alerts, 500 events/s, ETA 30s");
  });

  it("waits for a second of history before estimating", () => {
    expect(progressLine(stats, { inputs: 4, bytes: 1000, bytesRead: () => 10 }, 0.5)).toBe("  1% 3/4 inputs, 5000 events, 7 alerts, 10000 events/s");
  });

  it("writes durations in seconds, minutes or hours", () => {
    expect([duration(4.6), duration(245), duration(7380)]).toEqual(["5s", "4m05s", "2h03m"]);
  });
});
