/** Money is integer fen on the wire: always shown as ¥ with two decimals, never through floats. */
export function yuan(fen: number): string {
  const neg = fen < 0;
  const abs = Math.abs(Math.trunc(fen));
  const whole = Math.floor(abs / 100).toLocaleString('en-US');
  const cents = String(abs % 100).padStart(2, '0');
  return `${neg ? '-' : ''}¥${whole}.${cents}`;
}

/** Parses "12.5" / "12.50" yuan typed by a person into fen; null when it is not a price. */
export function parseYuan(s: string): number | null {
  const m = /^\s*(\d{1,9})(?:\.(\d{1,2}))?\s*$/.exec(s);
  if (!m) return null;
  return Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0'));
}

// Dates follow the person's own locale (the browser's), whichever UI language is chosen.
const userLocale = typeof navigator !== 'undefined' ? navigator.language : 'zh-CN';
const dateTimeFmt = new Intl.DateTimeFormat(userLocale, { dateStyle: 'medium', timeStyle: 'short' });
const dateFmt = new Intl.DateTimeFormat(userLocale, { dateStyle: 'medium' });
const shortDayFmt = new Intl.DateTimeFormat(userLocale, { month: 'numeric', day: 'numeric' });

export function dateTime(iso: string | null | undefined): string {
  return iso ? dateTimeFmt.format(new Date(iso)) : '—';
}
export function dateOnly(iso: string | null | undefined): string {
  return iso ? dateFmt.format(new Date(iso)) : '—';
}
export function shortDay(d: Date): string {
  return shortDayFmt.format(d);
}

export function specText(spec: Record<string, string>): string {
  return Object.values(spec).join(' / ');
}
