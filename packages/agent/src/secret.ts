import { inspect } from 'node:util';
import { REDACTED, redactText } from '@sixty/core';

export { REDACTED };

/**
 * A secret (the API key) that cannot leak by accident: JSON.stringify, string templates and
 * console.log all show `[redacted]`; only reveal() gives the value, for the SDK client.
 */
export class SecretValue {
  readonly #value: string;

  constructor(value: string) {
    this.#value = value;
  }

  reveal(): string {
    return this.#value;
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

/**
 * Text with every occurrence of the secrets, and anything shaped like a key, replaced by
 * `[redacted]` (core's redactText). Applied to every text that comes from the SDK, a server or
 * the model (answers and refusals included) before it is shown, logged, cached, written to a
 * plan, a ticket or the tracker.
 */
export function redactSecrets(text: string, secrets: ReadonlyArray<SecretValue | string | null | undefined>): string {
  return redactText(
    text,
    secrets.map((secret) => (secret instanceof SecretValue ? secret.reveal() : secret)),
  );
}
