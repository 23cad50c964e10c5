import { preparedIn, type Db, type Executor } from '../../db/index.ts';

/**
 * What trade needs to sell a SKU right now, read fresh in one prepared statement:
 * the price, the product as the buyer saw it (for the order-line snapshot) and the category
 * rules that travel with the line (fee rate, 7-day returns, 运费险).
 */
export interface SaleSnapshot {
  sku_id: string;
  product_id: string;
  store_id: string;
  category_id: string;
  title: string;
  spec: Record<string, string>;
  image: string | null;
  price_minor: number;
  currency: 'CNY';
  /** live product and active SKU (the store's status is the stores module's to say). */
  on_sale: boolean;
  category_fee_rate_bp: number;
  no_reason_return_7d: boolean;
  shipping_insurance: boolean;
}

interface Row {
  sku_id: string; product_id: string; store_id: string; spec: string; price_minor: number; currency: 'CNY'; sku_status: string; title: string; images: string;
  product_status: string; category_id: string; fee_rate_bp: number; no_reason_return_7d: number; shipping_insurance: number;
}

export function createSaleSnapshots(db: Db) {
  const bySkus = preparedIn<Row>(
    db,
    `select s.id as sku_id, s.product_id, s.store_id, s.spec, s.price_minor, s.currency, s.status as sku_status, p.title, p.images, p.status as product_status,
            p.category_id, c.fee_rate_bp, c.no_reason_return_7d, c.shipping_insurance
     from catalog_skus s join catalog_products p on p.id = s.product_id join catalog_categories c on c.id = p.category_id
     where s.id in (?*)`,
  );
  return {
    async saleSnapshots(skuIds: readonly string[], ex: Executor = db.kysely): Promise<Map<string, SaleSnapshot>> {
      const out = new Map<string, SaleSnapshot>();
      for (const r of await bySkus(ex, [...new Set(skuIds)])) {
        const id = r.sku_id;
        const images = JSON.parse(r.images) as string[];
        out.set(id, {
          sku_id: r.sku_id, product_id: r.product_id, store_id: r.store_id, category_id: r.category_id, title: r.title, spec: JSON.parse(r.spec),
          image: images[0] ?? null, price_minor: r.price_minor, currency: r.currency, on_sale: r.product_status === 'live' && r.sku_status === 'active',
          category_fee_rate_bp: r.fee_rate_bp, no_reason_return_7d: r.no_reason_return_7d === 1, shipping_insurance: r.shipping_insurance === 1,
        });
      }
      return out;
    },
  };
}
