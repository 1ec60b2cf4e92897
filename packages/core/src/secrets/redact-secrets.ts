export const REDACTED = '[redacted]';

/**
 * Shapes of credentials that may reach a text from a model, a server or an agent: OpenAI-style
 * keys (sk-..., sk-proj-...), bearer tokens and the value of an Authorization header.
 */
const KEY_SHAPES: ReadonlyArray<[RegExp, string]> = [
  [/\bsk-[A-Za-z0-9_-]{6,}/g, `sk-${REDACTED}`],
  [/\b(Authorization)(\\?["']?\s*[:=]\s*\\?["']?)(?!Bearer\b|Basic\b)[^\s"',;\\]+/gi, `$1$2${REDACTED}`],
  [/\b(Bearer|Basic)\s+(?!\[redacted\])[^\s"',;\\]+/gi, `$1 ${REDACTED}`],
];

/** Secrets shorter than this are not searched for: they would redact ordinary words. */
const MIN_SECRET_LENGTH = 4;

/**
 * Text with every occurrence of the given secrets, and anything shaped like a key, replaced by
 * `[redacted]`. Applied to every text that comes from a model, a server or an agent before it is
 * shown, logged, cached or written to a plan, ticket or tracker. The replacement holds no quote
 * or backslash, so redacting JSON text keeps it JSON.
 */
export function redactText(text: string, secrets: ReadonlyArray<string | null | undefined>): string {
  let result = text;
  for (const secret of secrets) {
    if (secret && secret.length >= MIN_SECRET_LENGTH) result = result.split(secret).join(REDACTED);
  }
  for (const [pattern, replacement] of KEY_SHAPES) result = result.replace(pattern, replacement);
  return result;
}

/** Names of environment variables that hold credentials by convention. */
const SECRET_VARIABLE = /(API_?KEY|TOKEN|SECRET|PASSWORD|CREDENTIALS?)$/i;

/** The values of credential-like variables in an environment (OPENAI_API_KEY, GITHUB_TOKEN, ...), for redactText. */
export function secretsInEnvironment(env: Record<string, string | undefined>): string[] {
  return Object.entries(env)
    .filter(([name, value]) => SECRET_VARIABLE.test(name) && value !== undefined && value.length >= 8)
    .map(([, value]) => value as string);
}

/**
 * Redacts a stream a line at a time, so a secret split across two chunks is still found. push()
 * returns the complete lines seen so far, redacted; flush() returns the rest.
 */
export function createLineRedactor(secrets: ReadonlyArray<string>): { push(chunk: string): string; flush(): string } {
  let pending = '';
  return {
    push(chunk) {
      pending += chunk;
      const end = pending.lastIndexOf('\n');
      if (end === -1) return '';
      const lines = pending.slice(0, end + 1);
      pending = pending.slice(end + 1);
      return redactText(lines, secrets);
    },
    flush() {
      const rest = pending;
      pending = '';
      return redactText(rest, secrets);
    },
  };
}
