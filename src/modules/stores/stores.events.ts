import type { StoreStatus } from './rules/lifecycle.ts';

/**
 * Domain events the stores module writes to the outbox (in the same transaction as the change).
 * `aggregate_id` is always the store id. Times are epoch ms.
 */
export const STORE_EVENTS = {
  created: 'store.created',
  submitted: 'store.submitted',
  statusChanged: 'store.status_changed',
  opened: 'store.opened',
  updated: 'store.updated',
  renamed: 'store.renamed',
  depositChanged: 'store.deposit_changed',
  brandApplied: 'store.brand_applied',
  brandCertified: 'store.brand_certified',
  brandRejected: 'store.brand_rejected',
  brandRevoked: 'store.brand_revoked',
  qualificationExpired: 'store.qualification_expired',
  linkedAccountsChanged: 'store.linked_accounts_changed',
} as const;

export interface StoreCreatedEvent { store_id: string; name: string; subject_type: string }
export interface StoreSubmittedEvent { store_id: string; submitted_at: number }
/** Every status move: review decisions, opening, restriction, suspension, closure. */
export interface StoreStatusChangedEvent { store_id: string; from: StoreStatus; to: StoreStatus; action: string; reason: string | null; actor_id: string | null }
export interface StoreOpenedEvent { store_id: string }
export interface StoreRenamedEvent { store_id: string; from: string; to: string; actor_id: string | null }
/** A deposit movement; `balance_minor` is the deposit held after it. */
export interface StoreDepositChangedEvent { store_id: string; transfer_id: string; reason: string; amount_minor: number; balance_minor: number; currency: string }
export interface StoreBrandCertifiedEvent { store_id: string; cert_id: string; brand_name: string; badge: 'brand_owned' | 'brand_authorized'; expires_at: number }
/**
 * The store may no longer sell `brand_name`: catalog delists the store's products of that brand.
 * reason: 'trademark_expired' | 'authorization_expired' (the expiry job), 'store_closed', 'operator'.
 */
export interface StoreBrandRevokedEvent { store_id: string; cert_id: string; brand_name: string; badge: 'brand_owned' | 'brand_authorized'; reason: string; revoked_at: number }
/**
 * A qualification document ran out (the expiry job). Catalog delists the store's products in
 * categories requiring `kind` (e.g. food_license) until a renewed document is uploaded.
 */
export interface StoreQualificationExpiredEvent { store_id: string; qualification_id: string; kind: string; expired_at: number }
