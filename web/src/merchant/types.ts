/** Response shapes of the merchant assistant's API that only the merchant face uses (see /api/openapi.json). */
export interface RuleProblem { code: string; message: string; message_zh: string; details?: unknown }

export interface StoreDetail {
  id: string; name: string; subject_type: 'individual' | 'enterprise'; status: string; company_name: string; trade_name: string | null; uscc: string | null;
  main_category_code: string | null; created_at: string; submitted_at: string | null; opened_at: string | null; review_note: string | null; status_reason: string | null;
}
export interface Decision { id: string; subject: string; subject_id: string; decision: string; from_status: string | null; to_status: string | null; reason: string | null; actor_role: string; created_at: string }
export interface Deposit { required_minor: number; balance_minor: number; shortfall_minor: number; required_source: string; required_category_code: string | null }
export interface Application {
  store: StoreDetail;
  checklist: { kind: string; label_zh: string; qualification_id: string | null; in_force: boolean }[];
  checks: RuleProblem[];
  decisions: Decision[];
  deposit: Deposit;
  brands: BrandCert[];
  /** null until the store opens (renames during onboarding are free) */
  renames_remaining: number | null;
}
export interface Qualification { id: string; kind: string; label_zh: string; number: string; holder_name: string; valid_from: string; valid_until: string | null; file_url: string; status: string; in_force: boolean }
export interface NameCheck { ok: boolean; name?: string; code?: string; message?: string; message_zh?: string }

export interface CategoryFull {
  id: string; parent_id: string | null; code: string; name_zh: string; name_en: string; is_leaf: boolean; fee_rate_bp: number; deposit_minor: number;
  required_attributes: { key: string; label_zh: string; type: string; options?: string[] }[];
  required_qualifications: string[];
}
export interface Media { id: string; url: string; content_type: string; size_bytes: number }
export interface RowError { line: number; product_ref: string | null; code: string; message: string; message_zh: string }

export interface LivePrice { sku_id: string; price_minor: number; stock_left: number; limit_per_buyer: number | null }
export interface ShelfItem { id: string; product_id: string; store_id: string; title: string; image: string | null; price_minor: number; position: number; pinned: boolean; live_prices: LivePrice[] }
export interface Room {
  id: string; title: string; cover_url: string | null; stream_url: string; status: 'scheduled' | 'live' | 'ended'; scheduled_start: string; started_at: string | null; ended_at: string | null;
  pinned_item_id: string | null; reservations: number; likes: number; store_id: string | null;
}
export interface RoomDetail extends Room { shelf: ShelfItem[]; viewers: number }
export interface RoomStats {
  concurrent_viewers: number; peak_viewers: number; total_views: number; unique_viewers: number; avg_watch_ms: number; likes: number; reservations: number; product_clicks: number;
  orders: number; buyers: number; units: number; gmv_minor: number; conversion_bp: number;
  products: { product_id: string; title: string; clicks: number; orders: number; units: number; gmv_minor: number }[];
}
/** 福袋 (live.schemas.ts LuckyBagSchema): the commitment before the draw; seed, eligible ids and winners (account ids) after it. */
export type LuckyCondition = 'commented' | 'reserved' | 'watched';
export interface LuckyBag {
  id: string; room_id: string; title: string; prize: string; winners: number; condition: LuckyCondition; watch_minutes: number | null; status: 'open' | 'drawn';
  seed_commitment: string; seed: string | null; draw_at: string; drawn_at: string | null; eligible_count: number; eligible_hash: string | null; eligible_ids: string[]; winner_ids: string[];
  /** HTTP answers only (not the stream's events): the winners' display names. */
  winner_names?: { account_id: string; display_name: string }[];
}
/** 营销工具 (promotions.schemas.ts): a store coupon template, a 满减 and a flash sale; times ISO-8601, money fen. */
export interface CouponTemplate {
  id: string; name: string; label_zh: string; kind: 'fixed' | 'threshold' | 'percent'; status: 'active' | 'stopped'; off_minor: number | null; threshold_minor: number | null;
  pay_rate_bp: number | null; cap_minor: number | null; valid_from: string; valid_to: string; valid_days: number | null; claim_from: string; claim_to: string;
  total_quantity: number; claimed: number; remaining: number; per_buyer_limit: number;
}
export type ThresholdRule = { kind: 'tiers'; tiers: { threshold_minor: number; off_minor: number }[] } | { kind: 'every'; step_minor: number; off_minor: number; cap_minor?: number };
export interface ThresholdPromotion { id: string; name: string; label_zh: string; rule: ThresholdRule; valid_from: string; valid_to: string; status: 'active' | 'stopped' }
export interface FlashSale {
  id: string; product_id: string; sku_id: string; price_minor: number; flash_stock: number; sold: number; stock_left: number; limit_per_buyer: number | null;
  starts_at: string; ends_at: string; status: 'active' | 'stopped'; phase: 'upcoming' | 'running' | 'ended' | 'stopped';
  /** The SKU's title, spec and own price now (the server adds them for display). */
  product?: { title: string; spec: Record<string, string>; image: string | null; price_minor: number };
}

export interface AffiliateOffer {
  id: string; product_id: string; title: string; image: string | null; price_minor: number; rate_bp: number; exclusive_rates: { creator_id: string; rate_bp: number }[];
  starts_at: string; ends_at: string | null; status: 'scheduled' | 'active' | 'ended';
}
export interface StoreCreator {
  creator_id: string; display_name: string; selected_products: number; orders: number; lines: number; gmv_minor: number; commission_minor: number; pending_commission_minor: number; settled_commission_minor: number;
}

export interface Campaign {
  id: string; name: string; description: string; phase: string; phase_label_zh: string; registration_start: string; review_start: string; selling_start: string; selling_end: string;
  rules: { store_types?: string[]; min_store_score?: number; category_ids?: string[]; min_discount_bp?: number; min_stock?: number }; fee_rate_bp: number | null;
  status?: string; presale_balance_window?: { from: string; to: string };
}
export interface Registration {
  id: string; campaign_id: string; product_id: string; sku_id: string; title: string; price_minor: number; low_30d_minor: number; campaign_price_minor: number; campaign_stock: number;
  sold: number; status: 'pending' | 'approved' | 'rejected' | 'withdrawn'; review_note: string | null; created_at: string;
}

export interface Payout { id: string; amount_minor: number; bank_name: string; account_name: string; account_no_masked: string; status: string; created_at: string }

/** 预售: an offer on a campaign registration, and the store's pre-sale orders (presale.routes.ts). */
export interface PresaleOffer {
  id: string; campaign_id: string; registration_id: string; store_id: string; product_id: string; sku_id: string; title: string;
  price_minor: number; deposit_minor: number; deposit_value_minor: number; stock: number; taken: number; per_buyer_limit: number;
  balance_from: string; balance_to: string; rules: { zh: string; en: string };
}
export type PresaleStage = 'awaiting_deposit' | 'deposit_paid' | 'balance_paid' | 'cancelled' | 'forfeited' | 'refunded';
export interface PresaleOrder {
  order_id: string; order_status: string; stage: PresaleStage; campaign_id: string; offer_id: string; store_id: string; sku_id: string; quantity: number;
  price_minor: number; deposit_minor: number; deposit_value_minor: number; deposit_total_minor: number; deposit_value_total_minor: number; balance_goods_minor: number;
  balance_minor: number | null; balance_from: string; balance_to: string; deposit_pay_by: string; created_at: string;
}

/** 品牌认证 (stores.schemas.ts): the trademark and the authorisation chain, owner's grant first. */
export interface Trademark { registration_number: string; nice_class: number; status: 'R' | 'TM'; owner_name: string; owner_uscc: string; valid_from: string; valid_until: string; file_url: string }
export interface Authorization { licensor_name: string; licensor_uscc: string; licensee_name: string; licensee_uscc: string; exclusive: boolean; valid_from: string; valid_until: string; file_url: string }
export type BrandBadge = 'brand_owned' | 'brand_authorized';
export interface BrandCert {
  id: string; store_id: string; brand_name: string; badge: BrandBadge; status: 'pending_review' | 'certified' | 'rejected' | 'revoked'; status_reason: string | null; level: number;
  trademark: Trademark; authorizations: Authorization[]; expires_at: string | null; decided_at: string | null; created_at: string;
}
export interface NameChange { id: string; old_name: string; new_name: string; counted: boolean; changed_at: string }
