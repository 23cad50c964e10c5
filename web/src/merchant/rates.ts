/** Rates are basis points on the wire (500 = 5%); people type and read percentages. */
export const percent = (bp: number) => `${(bp / 100).toFixed(bp % 100 === 0 ? 0 : bp % 10 === 0 ? 1 : 2)}%`;

/** Parses "5" / "5.5" percent into basis points; null when it is not a percentage. */
export function parsePercent(s: string): number | null {
  const m = /^\s*(\d{1,3})(?:\.(\d{1,2}))?\s*%?\s*$/.exec(s);
  if (!m) return null;
  return Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0'));
}
