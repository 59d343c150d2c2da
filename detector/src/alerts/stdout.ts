import type { Writable } from "node:stream";
import { falcoJson, type Alert } from "../engine";
import type { AlertSink, SinkFailure } from "./sink";

/** Falco JSON alert lines on standard output (the container's log driver ships them). */
export class StdoutSink implements AlertSink {
  readonly name = "stdout" as const;

  constructor(private readonly out: Writable = process.stdout) {}

  send(alerts: readonly Alert[]): Promise<SinkFailure[]> {
    const text = alerts.map((a) => falcoJson(a) + "\n").join("");
    // Resolves once the text is handed to the OS, so a crash right after cannot lose it.
    return new Promise((resolve, reject) => this.out.write(text, (err) => (err ? reject(err) : resolve([]))));
  }
}
