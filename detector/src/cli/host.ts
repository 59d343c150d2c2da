import { hostname } from "node:os";

/** The host name printed in alerts: FALCO_HOSTNAME when set (as Falco), else the machine's. */
export function detectorHostname(): string {
  return process.env.FALCO_HOSTNAME ?? hostname();
}
