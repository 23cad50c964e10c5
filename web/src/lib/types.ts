/** The slices of the API's response shapes the web app uses (see /api/openapi.json). */
export interface Page<T> { items: T[]; next_cursor: string | null }
export interface Sku { id: string; spec: Record<string, string>; price_minor: number; list_price_minor: number | null; currency: 'CNY'; status: string; in_stock?: boolean; stock?: { on_hand: number; reserved: number; available: number } }
export interface Product { id: string; store_id: string; category_id: string; title: string; subtitle: string; description: string; brand: string | null; attributes: Record<string, string>; images: string[]; status: string; sales: number; skus: Sku[]; created_at: string }
export interface MerchantProduct extends Product { review: { status: string; findings: Finding[] } | null; published_at: string | null }
export interface Store { id: string; name: string; subject_type: string; status: string; company_name: string; description: string; logo_url: string | null; score: number; opened_at: string | null; my_role?: string }
export interface Category { id: string; parent_id: string | null; name_zh: string; name_en: string; is_leaf: boolean }
export interface SearchItem { id: string; title: string; title_highlight: string; brand: string | null; store_id: string; image_url: string | null; price: { min_minor: number; max_minor: number }; in_stock: boolean; sales: number }
export interface SearchResult extends Page<SearchItem> {
  total: number; relaxed: boolean;
  facets: { categories: { id: string; name: string; parent_id: string | null; count: number }[]; brands: { name: string; count: number }[]; price: { min_minor: number; max_minor: number | null; count: number }[] } | null;
}
export interface Coupon {
  id: string; name: string; label_zh: string; scope: string; store_id: string | null; kind: string; off_minor: number | null; threshold_minor: number | null;
  valid_to: string | null; remaining?: number; can_claim?: boolean; claimed_by_me?: number; state?: string; template_id?: string;
}
export interface Address { id: string; recipient: string; phone: string; province: string; city: string; district: string; detail: string; is_default: boolean }
export interface CartItem { id: string; sku_id: string; product_id: string; store_id: string; quantity: number }
export interface Step { seq: number; stage: string; source_kind: string; source_id: string | null; amount_minor: number; code: string; message: string; message_zh: string }
export interface Pricing {
  total_minor: number;
  stores: { store_id: string; goods_minor: number; discount_minor: number; shipping_minor: number; total_minor: number }[];
  lines: { line_id: string; unit_price_minor: number; goods_minor: number; discount_minor: number; shipping_minor: number; paid_minor: number }[];
  explanation: { goods_minor: number; discount_minor: number; shipping_minor: number; total_minor: number; steps: Step[]; not_applied?: { source_id?: string; message?: string; message_zh?: string; code?: string }[] };
  coupon_ids: string[];
}
export interface OrderLine { id: string; sku_id: string; product_id: string; title: string; spec: Record<string, string>; image: string | null; quantity: number; unit_price_minor: number; goods_minor: number; discount_minor: number; shipping_minor: number; paid_minor: number; shipped_quantity: number; cancelled_quantity: number; held_quantity?: number; refunded_minor: number; channel: string }
export interface Order {
  id: string; checkout_id: string; store_id: string; status: string; kind?: 'normal' | 'presale'; goods_minor: number; discount_minor: number; shipping_minor: number; total_minor: number;
  address: Record<string, string | null>; buyer_note: string; created_at: string; paid_at: string | null; shipped_at: string | null; received_at: string | null; completed_at: string | null; cancelled_at: string | null;
  lines: OrderLine[];
}
export interface OrderDetail extends Order { history: { from: string; to: string; event: string; actor: string; reason: string | null; at: string }[] }
export interface Shipment { id: string; carrier: string; carrier_name_zh: string; tracking_no: string; status: string; direction: string; created_at: string; delivered_at: string | null; events: { status: string; description: string; location: string | null; at: string }[] }
export interface Payment { payment_id: string; status: 'pending' | 'paid' | 'closed'; amount_minor: number; pay_page_url: string | null; code_url: string | null; expires_at: string; paid_at: string | null }
export interface AftersalesRequest {
  id: string; order_id: string; line_id: string; store_id: string; type: string; reason: string; description: string; quantity: number; amount_minor: number; refund_amount_minor: number | null;
  status: string; open: boolean; waiting_on: string | null; deadline_at: string | null; deadline_action: string | null; instant: boolean; merchant_reason: string | null; created_at: string;
}
export interface Finding { code: string; severity: string; field: string; message: string; message_zh: string }
export interface StoreApplication { id: string; name: string; subject_type: string; status: string; company_name: string; trade_name: string | null; uscc: string | null; main_category_code: string | null; description: string; submitted_at: string | null; review_note: string | null }
