/**
 * The protocol writes times as RFC 3339 with an explicit offset; WeChat Pay itself uses
 * China Standard Time ("2018-06-08T10:34:56+08:00"). Inside Xiaodian time is epoch ms.
 */

const CST_OFFSET_MS = 8 * 60 * 60 * 1000;
const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

/** Epoch ms → "yyyy-MM-ddTHH:mm:ss+08:00" (whole seconds, as WeChat Pay writes them). */
export function toRfc3339Cst(ms: number): string {
  const d = new Date(Math.floor(ms / 1000) * 1000 + CST_OFFSET_MS);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}T${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}+08:00`;
}

/** RFC 3339 (any offset) → epoch ms; null when the text is not one. */
export function parseRfc3339(text: string | undefined | null): number | null {
  if (typeof text !== 'string' || !RFC3339.test(text)) return null;
  const ms = new Date(text).getTime();
  return Number.isFinite(ms) ? ms : null;
}
