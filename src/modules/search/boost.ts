/** Relevance multipliers that belong to a document rather than a query (precomputed per document). */
export const SALES_WEIGHT = 0.02;
export const OUT_OF_STOCK_FACTOR = 0.5;

/** text/rank.ts's sales nudge, and the out-of-stock penalty of this module. */
export function docBoost(sales: number, inStock: boolean): number {
  return (sales > 0 ? 1 + SALES_WEIGHT * Math.log1p(sales) : 1) * (inStock ? 1 : OUT_OF_STOCK_FACTOR);
}
