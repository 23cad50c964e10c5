import type { Outbox } from '../db/outbox.ts';
import type { CatalogModule } from '../modules/catalog/index.ts';

export const CATALOG_DELISTING_SUBSCRIBER = 'catalog.delist_on_store_change';

/**
 * Delisting on schedule: the stores module's expiry jobs (and operators) revoke brand
 * certifications and expire qualifications; this takes the affected products off sale.
 * Payloads (stores.events.ts):
 *   store.brand_revoked          { store_id, cert_id, brand_name, badge, reason, revoked_at }
 *   store.qualification_expired  { store_id, qualification_id, kind, expired_at }
 * Idempotent: the handler runs in one transaction with its delivery record, and delisting is
 * a conditional update (a product already off sale is left alone), so a redelivery changes
 * nothing. Each delisted product emits `product.delisted` in that transaction.
 */
export function subscribeCatalogDelisting(outbox: Outbox, catalog: Pick<CatalogModule, 'delistForBrand' | 'delistForQualification'>): void {
  outbox.subscribe(CATALOG_DELISTING_SUBSCRIBER, ['store.brand_revoked', 'store.qualification_expired'], async (event, tx) => {
    const p = event.payload as Record<string, unknown>;
    const storeId = String(p.store_id);
    if (event.type === 'store.brand_revoked') {
      await catalog.delistForBrand(tx, storeId, String(p.brand_name), typeof p.reason === 'string' ? p.reason : null);
    } else {
      await catalog.delistForQualification(tx, storeId, String(p.kind), `qualification ${String(p.qualification_id ?? '')} expired`.trim());
    }
  });
}
