import type { Clock } from '../../lib/clock.ts';
import type { Db } from '../../db/index.ts';
import type { Outbox } from '../../db/outbox.ts';
import type { CsRepo, Side } from './cs.repo.ts';

/** What cs needs to know about a product (from catalog, through app/wire-cs.ts). */
export interface ProductFacts { id: string; store_id: string; title: string; image: string | null; price_minor: number; on_sale: boolean }
/** A buyer's own order (from trade); null when it is not theirs or does not exist. */
export interface OrderFacts { id: string; store_id: string; title: string; image: string | null; items: number; total_minor: number; status: string }
/** Whether buyers may start a conversation with a store (from stores: open or restricted). */
export interface StoreFacts { id: string; contactable: boolean }

export interface CsPorts {
  products(ids: readonly string[]): Promise<Map<string, ProductFacts>>;
  buyerOrder(buyerId: string, orderId: string): Promise<OrderFacts | null>;
  stores(ids: readonly string[]): Promise<Map<string, StoreFacts>>;
}

export interface CsConfig {
  /** Longest text message, in characters. */
  maxMessageChars: number;
  /** Quick replies a store may keep. */
  maxQuickReplies: number;
  /** Words that block a message (the platform's list). */
  bannedWords: readonly string[];
}
export const DEFAULT_CS_CONFIG: CsConfig = { maxMessageChars: 1000, maxQuickReplies: 100, bannedWords: [] };

/** Who is acting: a buyer on their own conversations, or staff on their store's. */
export type Scope = { side: 'buyer'; buyer_id: string; actor_id: string } | { side: 'store'; store_id: string; actor_id: string };
export const otherSide = (s: Side): Side => (s === 'buyer' ? 'store' : 'buyer');

export interface Ctx {
  db: Db;
  clock: Clock;
  outbox: Outbox;
  repo: CsRepo;
  config: CsConfig;
  ports: CsPorts;
  findBanned(text: string): string | null;
}
