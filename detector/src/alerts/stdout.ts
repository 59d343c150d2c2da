import type { Writable } from "node:stream";
import { falcoJson, type Alert } from "../engine";
import type { AlertSink, SinkFailure } from "./sink";

/**
 * Alert lines on standard output (the container's log driver ships them): Falco's JSON alert, or
 * Falco's text line.
 */
export class StdoutSink implements AlertSink {
  readonly type = "stdout" as const;

  constructor(
    private readonly out: Writable = process.stdout,
    readonly name = "stdout",
    private readonly format: "json" | "text" = "json",
  ) {}

  send(alerts: readonly Alert[]): Promise<SinkFailure[]> {
    const render = this.format === "json" ? falcoJson : (a: Alert) => a.output;
    const text = alerts.map((a) => render(a) + "\n").join("");
    // Resolves once the text is handed to the OS, so a crash right after cannot lose it.
    return new Promise((resolve, reject) => this.out.write(text, (err) => (err ? reject(err) : resolve([]))));
  }
}
