import { inspect } from 'node:util';

export const REDACTED = '[redacted]';

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

/** Shapes of credentials that may reach an error text from a server: OpenAI keys and bearer tokens. */
const KEY_SHAPES: ReadonlyArray<[RegExp, string]> = [
  [/\bsk-[A-Za-z0-9_-]{6,}/g, `sk-${REDACTED}`],
  [/\b(Bearer)\s+[^\s"',;]+/gi, `$1 ${REDACTED}`],
];

/**
 * Text with every occurrence of the secrets, and anything shaped like a key, replaced by
 * `[redacted]`. Applied to every error text that comes from the SDK or a server before it is
 * shown, logged, cached or written to a ticket.
 */
export function redactSecrets(text: string, secrets: ReadonlyArray<SecretValue | string | null | undefined>): string {
  let result = text;
  for (const secret of secrets) {
    const value = secret instanceof SecretValue ? secret.reveal() : secret;
    if (value && value.length >= 4) result = result.split(value).join(REDACTED);
  }
  for (const [pattern, replacement] of KEY_SHAPES) result = result.replace(pattern, replacement);
  return result;
}
