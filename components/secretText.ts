import * as pulumi from "@pulumi/pulumi";
import { inspect } from "util";

const REDACTED = "[secret]";

/** How a configuration's secrets are recognised and read (see `loadConfig` and `check-config`). */
export interface ConfigSecrets {
  /**
   * Whether the top-level key (e.g. `connector`) was set as a secret; `undefined` when unknown.
   * Pulumi marks a whole top-level key secret when any value under it was set with `--secret`.
   */
  isSecret(key: string): boolean | undefined;
  /**
   * The string at `path` (e.g. `s3guard:connector.webhookUrl`) as a Pulumi secret, read with the
   * secret-aware config getters. Absent: the text is wrapped with `pulumi.secret`.
   */
  output?(path: string): pulumi.Output<string>;
}

/** When nothing is known about secrets (pure validation in tests): nothing counts as clear text. */
export const UNKNOWN_SECRETS: ConfigSecrets = { isSecret: () => undefined };

/**
 * A secret string from the stack configuration (`pulumi config set --secret`). The plain text is
 * held only so validation can check it (an https URL, say); it never prints (messages, logs and
 * JSON show `[secret]`), and the only way into a resource is `output()`, a Pulumi secret that the
 * state encrypts and previews redact.
 *
 * `check-config` reads stack files without the stack's key: there a secret is `encrypted()`, known
 * to be set but unreadable, and checks of its text are skipped.
 */
export class SecretText {
  /** A stand-in for a value that must not be shown, e.g. in a configuration problem. */
  static readonly REDACTED: SecretText = new SecretText(undefined, () => {
    throw new Error("a redacted value has no output");
  });

  private constructor(
    private readonly plain: string | undefined,
    private readonly read: () => pulumi.Output<string>,
  ) {}

  /**
   * A secret the program can read. `read` returns it as a Pulumi secret, obtained with the
   * secret-aware config getters; without it the text is wrapped with `pulumi.secret`.
   */
  static of(plain: string, read?: () => pulumi.Output<string>): SecretText {
    return new SecretText(plain, read ?? (() => pulumi.secret(plain)));
  }

  /** A secret set in a stack file (`secure: ...`) that cannot be decrypted here. */
  static encrypted(): SecretText {
    return new SecretText(undefined, () => {
      throw new Error("an encrypted stack file value cannot be read without the stack's secrets provider");
    });
  }

  /** Whether the text can be read (false when checking a stack file offline). */
  get readable(): boolean {
    return this.plain !== undefined;
  }

  /**
   * Applies `fn` to the plain text, for validation and for facts that are not secret themselves
   * (the port of a URL). `undefined` when the text cannot be read.
   */
  peek<T>(fn: (plain: string) => T): T | undefined {
    return this.plain === undefined ? undefined : fn(this.plain);
  }

  /** The value as a Pulumi secret: the only form in which it may reach a resource input. */
  output(): pulumi.Output<string> {
    return this.read();
  }

  toString(): string {
    return REDACTED;
  }

  toJSON(): string {
    return REDACTED;
  }

  [inspect.custom](): string {
    return REDACTED;
  }
}
