import { duration, Progress, progressLine } from "../../../detector/src/cli/progress";
import { ScanStats } from "../../../detector/src/cli/summary";

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

describe("Progress on a terminal", () => {
  const written: string[] = [];
  const stream = { isTTY: true, write: (s: string) => written.push(s) } as unknown as NodeJS.WriteStream;

  it("refreshes one line at most four times a second, and clears it before other output", () => {
    const stats = new ScanStats();
    let now = 1000;
    const progress = new Progress(stream, stats, () => now);
    progress.planned({ inputs: 2, bytes: 100, bytesRead: () => 50 });
    stats.inputs = 1;
    progress.inputDone();
    expect(written).toHaveLength(1);
    expect(written[0]).toMatch(/^\r 50% 1\/2 inputs, 0 events, 0 alerts, \d+ events\/s.*\x1b\[K$/);
    now += 100;
    progress.inputDone();
    expect(written).toHaveLength(1);
    now += 200;
    progress.inputDone();
    expect(written).toHaveLength(2);
    progress.clear();
    expect(written[2]).toBe("\r\x1b[K");
    progress.clear();
    expect(written).toHaveLength(3);
  });

  it("writes nothing when the stream is not a terminal", () => {
    const lines: string[] = [];
    const progress = new Progress({ isTTY: false, write: (s: string) => lines.push(s) } as unknown as NodeJS.WriteStream, new ScanStats());
    progress.inputDone();
    progress.clear();
    expect(lines).toEqual([]);
  });
});
