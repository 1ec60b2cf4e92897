/**
 * Text from a model or a server, made safe to print on one line: control characters (terminal
 * escapes included) and runs of whitespace become one space, and the length is bounded.
 */
export function oneLine(text: string, maxLength: number): string {
  // eslint-disable-next-line no-control-regex
  const flat = text.replace(/[\u0000-\u001f\u007f-\u009f\s]+/g, ' ').trim();
  return flat.length > maxLength ? `${flat.slice(0, maxLength)}…` : flat;
}
