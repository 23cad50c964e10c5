import type { Finding } from './compliance/index.ts';
import type { CategoryRow, DelistReason, ProductRow, ProductStatus, ReviewRow, ReviewStatus, ReviewTrigger, SkuRow } from './catalog.repo.ts';
import type { AttributeRule } from './category-rules.ts';

export interface Category {
  id: string; parent_id: string | null; code: string; name_zh: string; name_en: string; is_leaf: boolean; fee_rate_bp: number; deposit_minor: number;
  required_attributes: AttributeRule[]; required_qualifications: string[]; no_reason_return_7d: boolean; shipping_insurance: boolean;
  /** Medical/pharmacy/health-food categories: efficacy wording is not flagged. */
  allows_efficacy_claims?: boolean;
}
export interface Sku {
  id: string; product_id: string; spec: Record<string, string>; price_minor: number; list_price_minor: number | null; currency: 'CNY'; barcode: string | null; status: 'active' | 'disabled';
}
export interface Product {
  id: string; store_id: string; category_id: string; title: string; subtitle: string; description: string; brand: string | null;
  attributes: Record<string, string>; images: string[]; status: ProductStatus; sales: number; created_at: number; updated_at: number; skus: Sku[];
  published_at: number | null; review_id: string | null;
  delisted: { reason: DelistReason; note: string | null; at: number } | null;
}
export interface SkuInput {
  spec: Record<string, string>; price_minor: number; list_price_minor?: number | null; barcode?: string | null;
}
export interface ProductInput {
  category_id: string; title: string; subtitle?: string; description?: string; brand?: string | null; attributes?: Record<string, string>; images?: string[]; skus: SkuInput[];
}
/** Fields a merchant may edit after creation (each edit is reviewed again). */
export interface ProductPatch {
  title?: string; subtitle?: string; description?: string; brand?: string | null; attributes?: Record<string, string>; images?: string[];
}
export interface Review {
  id: string; product_id: string; store_id: string; trigger: ReviewTrigger; decision: 'pass' | 'review' | 'reject'; status: ReviewStatus;
  findings: Finding[];
  /** What was reviewed: the listing's text, brand, attributes and SKU prices at that moment. */
  snapshot: ReviewSnapshot;
  decided_by: string | null; decided_at: number | null; reason: string | null; created_at: number;
}
export interface ReviewSnapshot {
  title: string; subtitle: string; description: string; brand: string | null; attributes: Record<string, string>; category_id: string;
  skus: { id: string; spec: Record<string, string>; price_minor: number; list_price_minor: number | null; recent_low_price_minor: number | null }[];
}
/** A product with the outcome of its latest review, as its store's staff see it. */
export interface ProductWithReview extends Product {
  review: Review | null;
}

export const toCategory = (r: CategoryRow): Category => ({
  id: r.id, parent_id: r.parent_id, code: r.code, name_zh: r.name_zh, name_en: r.name_en, is_leaf: r.is_leaf === 1, fee_rate_bp: r.fee_rate_bp, deposit_minor: Number(r.deposit_minor),
  required_attributes: JSON.parse(r.required_attributes), required_qualifications: JSON.parse(r.required_qualifications),
  no_reason_return_7d: r.no_reason_return_7d === 1, shipping_insurance: r.shipping_insurance === 1, allows_efficacy_claims: r.allows_efficacy_claims === 1,
});
export const toSku = (r: SkuRow): Sku => ({
  id: r.id, product_id: r.product_id, spec: JSON.parse(r.spec), price_minor: Number(r.price_minor), list_price_minor: r.list_price_minor === null ? null : Number(r.list_price_minor),
  currency: r.currency, barcode: r.barcode, status: r.status,
});
export const toProduct = (r: ProductRow, skus: readonly SkuRow[]): Product => ({
  id: r.id, store_id: r.store_id, category_id: r.category_id, title: r.title, subtitle: r.subtitle, description: r.description, brand: r.brand,
  attributes: JSON.parse(r.attributes), images: JSON.parse(r.images), status: r.status, sales: r.sales, created_at: Number(r.created_at), updated_at: Number(r.updated_at),
  skus: skus.map(toSku), published_at: r.published_at === null ? null : Number(r.published_at), review_id: r.review_id,
  delisted: r.status === 'delisted' && r.delisted_reason ? { reason: r.delisted_reason, note: r.delisted_note, at: Number(r.delisted_at) } : null,
});
export const toReview = (r: ReviewRow): Review => ({
  id: r.id, product_id: r.product_id, store_id: r.store_id, trigger: r.trigger, decision: r.decision, status: r.status, findings: JSON.parse(r.findings), snapshot: JSON.parse(r.snapshot),
  decided_by: r.decided_by, decided_at: r.decided_at === null ? null : Number(r.decided_at), reason: r.reason, created_at: Number(r.created_at),
});
