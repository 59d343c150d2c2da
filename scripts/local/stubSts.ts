import { randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * A local STS endpoint answering AssumeRole in STS's own query protocol (a form-encoded POST, an
 * XML answer), so the connector's real SDK client assumes a role against it. It knows a few roles,
 * each with the external id its trust policy would ask for, and refuses the rest as STS does
 * (AccessDenied). Every call and every credential it issued are kept for the caller to check.
 */

export interface StubRole {
  arn: string;
  /** The external id the trust policy asks for; absent: none. */
  externalId?: string;
}

export interface AssumeRoleCall {
  roleArn: string;
  sessionName: string;
  externalId?: string;
  /** The access key id the request was signed with (the caller's own credentials). */
  signedBy?: string;
  granted: boolean;
}

export interface IssuedCredentials {
  roleArn: string;
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
}

export interface StubSts {
  endpoint: string;
  calls: AssumeRoleCall[];
  issued: IssuedCredentials[];
  stop(): Promise<void>;
}

const NS = "https://sts.amazonaws.com/doc/2011-06-15/";

/** The access key id of a SigV4 Authorization header (`Credential=<key id>/<date>/...`). */
export function signingKeyId(authorization: string | undefined): string | undefined {
  return /Credential=([^/,\s]+)\//.exec(authorization ?? "")?.[1];
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

function escapeXml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

function errorXml(code: string, message: string): string {
  return `<ErrorResponse xmlns="${NS}"><Error><Type>Sender</Type><Code>${code}</Code><Message>${escapeXml(message)}</Message></Error><RequestId>${randomBytes(8).toString("hex")}</RequestId></ErrorResponse>`;
}

function credentialsXml(role: string, sessionName: string, c: IssuedCredentials, expiration: Date): string {
  const [, , , , account, resource] = role.split(":");
  const roleName = resource.slice("role/".length).split("/").pop();
  return (
    `<AssumeRoleResponse xmlns="${NS}"><AssumeRoleResult>` +
    `<Credentials><AccessKeyId>${c.accessKeyId}</AccessKeyId><SecretAccessKey>${c.secretAccessKey}</SecretAccessKey>` +
    `<SessionToken>${c.sessionToken}</SessionToken><Expiration>${expiration.toISOString()}</Expiration></Credentials>` +
    `<AssumedRoleUser><AssumedRoleId>AROA${randomBytes(8).toString("hex").toUpperCase()}:${escapeXml(sessionName)}</AssumedRoleId>` +
    `<Arn>arn:aws:sts::${account}:assumed-role/${roleName}/${escapeXml(sessionName)}</Arn></AssumedRoleUser>` +
    `</AssumeRoleResult><ResponseMetadata><RequestId>${randomBytes(8).toString("hex")}</RequestId></ResponseMetadata></AssumeRoleResponse>`
  );
}

export async function startStubSts(roles: StubRole[]): Promise<StubSts> {
  const calls: AssumeRoleCall[] = [];
  const issued: IssuedCredentials[] = [];
  const server: Server = createServer((req, res) => {
    void (async () => {
      const form = new URLSearchParams(await readBody(req));
      const reply = (status: number, xml: string) => {
        res.writeHead(status, { "content-type": "text/xml" });
        res.end(xml);
      };
      if (req.method !== "POST" || form.get("Action") !== "AssumeRole") {
        reply(400, errorXml("InvalidAction", `this stub answers only AssumeRole (got ${form.get("Action") ?? "nothing"})`));
        return;
      }
      const roleArn = form.get("RoleArn") ?? "";
      const sessionName = form.get("RoleSessionName") ?? "";
      const externalId = form.get("ExternalId") ?? undefined;
      const signedBy = signingKeyId(req.headers.authorization);
      const role = roles.find((r) => r.arn === roleArn);
      const granted = role !== undefined && role.externalId === externalId && signedBy !== undefined;
      calls.push({ roleArn, sessionName, ...(externalId !== undefined ? { externalId } : {}), ...(signedBy !== undefined ? { signedBy } : {}), granted });
      if (!granted) {
        reply(403, errorXml("AccessDenied", `User: ${signedBy ?? "anonymous"} is not authorized to perform: sts:AssumeRole on resource: ${roleArn}`));
        return;
      }
      const c: IssuedCredentials = {
        roleArn,
        accessKeyId: `ASIA${randomBytes(8).toString("hex").toUpperCase()}`,
        secretAccessKey: randomBytes(20).toString("base64"),
        sessionToken: randomBytes(48).toString("base64"),
      };
      issued.push(c);
      reply(200, credentialsXml(roleArn, sessionName, c, new Date(Date.now() + 3600_000)));
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    calls,
    issued,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
