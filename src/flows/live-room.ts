/**
 * Writes around a live room that span modules: live prices and live coupons (kept by
 * promotions, shown and broadcast by live), and checkout from the room (trade, with the room's
 * attribution filled in by the server: channel 'live', content_id = the room, creator_id = the
 * room's creator).
 */
import type { AppContext } from '../app/wire.ts';
import { conflict } from '../lib/errors.ts';
import type { CheckoutInput, PlacedCheckout, PricingResult } from '../modules/trade/index.ts';
import type { Room } from '../modules/live/index.ts';

type Ctx = Pick<AppContext, 'db' | 'live' | 'promotions' | 'trade'>;

export interface LivePriceBody {
  sku_id: string;
  price_minor: number;
  live_stock: number;
  limit_per_buyer?: number | null;
}

/**
 * 直播专享价 for one SKU of a shelf product; the caller has checked the actor may set prices
 * for the product's store. Viewers get a `price` event.
 */
export async function setLivePrice(ctx: Ctx, room: Room, itemId: string, body: LivePriceBody, actorId: string) {
  if (room.status === 'ended') throw conflict('room_status', 'the live has ended').zh('直播已结束');
  const item = await ctx.live.shelfItem(room.id, itemId);
  const price = await ctx.promotions.setLivePrice({ room_id: room.id, store_id: item.store_id, ...body, live_since_ms: room.status === 'live' ? room.started_at : null }, actorId);
  if (price.product_id !== item.product_id) throw conflict('sku_not_on_shelf', 'the SKU belongs to another product');
  await ctx.live.publishPrice(room, item.product_id);
  return price;
}

export async function stopLivePrice(ctx: Ctx, room: Room, itemId: string, skuId: string): Promise<void> {
  const item = await ctx.live.shelfItem(room.id, itemId);
  await ctx.db.transaction((tx) => ctx.promotions.stopLivePrices(tx, room.id, { sku_id: skuId, product_id: item.product_id }));
  await ctx.live.publishPrice(room, item.product_id);
}

/** One of the store's coupon templates becomes the room's: claimed only in the room while live. */
export async function attachLiveCoupon(ctx: Ctx, room: Room, storeId: string, templateId: string): Promise<void> {
  await ctx.promotions.scopeCouponToRoom(storeId, templateId, room.id);
  await ctx.db.transaction((tx) => ctx.live.attachCoupon(tx, room, storeId, templateId));
  ctx.live.hub.publish(room.id, 'coupon', { template_id: templateId, store_id: storeId });
}

export async function claimLiveCoupon(ctx: Ctx, room: Room, buyerId: string, templateId: string) {
  await ctx.live.assertClaimable(room, templateId);
  return ctx.promotions.claimCoupon(buyerId, templateId, { live_room_id: room.id });
}

export type LiveCheckoutInput = Omit<CheckoutInput, 'items' | 'cart_item_ids'> & { items: { sku_id: string; quantity: number }[] };

function fromRoom(room: Room, input: LiveCheckoutInput): CheckoutInput {
  const attribution = { channel: 'live' as const, content_id: room.id, creator_id: room.creator_id, campaign_id: null, share_chain: [] };
  return { ...input, items: input.items.map((i) => ({ sku_id: i.sku_id, quantity: i.quantity, attribution })) };
}

/** Buying from the room: the lines carry the room's attribution, so live prices apply while live. */
export async function placeLiveCheckout(ctx: Ctx, buyerId: string, roomId: string, input: LiveCheckoutInput): Promise<PlacedCheckout> {
  return ctx.trade.placeCheckout(buyerId, fromRoom(await ctx.live.getRoom(roomId), input));
}

export async function previewLiveCheckout(ctx: Ctx, buyerId: string, roomId: string, input: Omit<LiveCheckoutInput, 'address_id'> & { address_id?: string }): Promise<PricingResult> {
  return ctx.trade.previewCheckout(buyerId, fromRoom(await ctx.live.getRoom(roomId), { ...input, address_id: input.address_id ?? '' }));
}
