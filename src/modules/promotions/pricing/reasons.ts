/**
 * Every code the engine can put in a step or a "not applied" entry, with its English and
 * Chinese explanation. One table, so the UI and the tests see the same words.
 */
import { formatCny } from '../../../lib/money.ts';

type D = Record<string, unknown>;
type Words = { message: string; message_zh: string };

const y = (v: unknown) => formatCny(Number(v ?? 0));
const cappedBy = (d: D): Words => {
  switch (d.capped_by) {
    case 'max_fixed': return { message: `, capped at the platform maximum ${y(d.cap_minor)}`, message_zh: `，受平台单券最高优惠${y(d.cap_minor)}限制` };
    case 'coupon_cap': return { message: `, capped at ${y(d.cap_minor)}`, message_zh: `，最高优惠${y(d.cap_minor)}` };
    case 'every_cap': return { message: `, capped at ${y(d.cap_minor)}`, message_zh: `，封顶${y(d.cap_minor)}` };
    case 'floor': return { message: ', reduced so no item goes below its price floor', message_zh: '，受最低成交价限制（优惠后不低于原价的一定比例）已减少' };
    case 'available': return { message: ', limited to what is left to discount', message_zh: '，以剩余可优惠金额为限' };
    default: return { message: '', message_zh: '' };
  }
};

const TABLE: Readonly<Record<string, (d: D) => Words>> = {
  // price stage
  flash_price: (d) => ({ message: `flash-sale price ${y(d.price_minor)} instead of ${y(d.list_price_minor)}`, message_zh: `限时抢购价${y(d.price_minor)}（原价${y(d.list_price_minor)}）` }),
  live_price: (d) => ({ message: `live-room price ${y(d.price_minor)} instead of ${y(d.list_price_minor)}`, message_zh: `直播间专享价${y(d.price_minor)}（原价${y(d.list_price_minor)}）` }),
  not_active: () => ({ message: 'the special price is not valid at this time', message_zh: '活动价不在有效时间内' }),
  not_in_room: () => ({ message: 'the live price applies only to orders placed in the live room while it is live', message_zh: '直播专享价仅限直播中从直播间下单' }),
  over_buyer_limit: (d) => ({ message: `limited to ${d.limit_per_buyer} per buyer (already bought ${d.bought_qty})`, message_zh: `每人限购${d.limit_per_buyer}件（已购${d.bought_qty}件）` }),
  sold_out: (d) => ({ message: `only ${d.stock_left} left at this price`, message_zh: `活动库存仅剩${d.stock_left}件` }),
  not_lower: () => ({ message: 'the special price is not lower than the current price', message_zh: '活动价不低于当前售价' }),
  better_price_applied: (d) => ({ message: `a lower price (${d.applied_source_id}) applies instead`, message_zh: '已使用更低的活动价' }),
  // discount stages
  applied: (d) => {
    const c = cappedBy(d);
    return { message: `${y(d.amount_minor)} off${c.message}`, message_zh: `优惠${y(d.amount_minor)}${c.message_zh}` };
  },
  invalid_offer: () => ({ message: 'the offer is misconfigured and was ignored', message_zh: '优惠配置有误，未使用' }),
  stage_not_in_policy: () => ({ message: 'this kind of discount is not in use', message_zh: '当前不支持此类优惠' }),
  duplicate: () => ({ message: 'the same coupon was selected twice', message_zh: '同一张券重复选择' }),
  not_started: (d) => ({ message: `not valid before ${d.valid_from_ms}`, message_zh: '尚未到使用时间' }),
  expired: () => ({ message: 'expired', message_zh: '已过期' }),
  out_of_scope: () => ({ message: 'no item in the cart is eligible', message_zh: '购物车中没有适用的商品' }),
  not_stackable: (d) => ({ message: `cannot be combined with ${(d.conflicts_with as string[]).join(', ')}`, message_zh: `不可与${(d.conflicts_with as string[]).join('、')}同时使用` }),
  limit_reached: (d) => ({ message: `at most ${d.max} per ${d.per}`, message_zh: d.per === 'store' ? `每个店铺最多使用${d.max}张` : `每笔订单最多使用${d.max}张` }),
  threshold_not_met: (d) => ({ message: `needs ${y(d.threshold_minor)} of eligible items, has ${y(d.basis_minor)} (${y(d.short_minor)} short)`, message_zh: `未满${y(d.threshold_minor)}，当前${y(d.basis_minor)}，还差${y(d.short_minor)}` }),
  floor_reached: () => ({ message: 'the items are already at their price floor', message_zh: '商品已达最低成交价，无法再优惠' }),
  nothing_to_discount: () => ({ message: 'nothing left to discount', message_zh: '无可优惠金额' }),
  // shipping
  shipping_fee: (d) => ({ message: `shipping ${y(d.amount_minor)} to ${d.province}`, message_zh: `运费${y(d.amount_minor)}（${d.province}）` }),
  free_over_threshold: (d) => ({ message: `free shipping over ${y(d.free_over_minor)}`, message_zh: `满${y(d.free_over_minor)}包邮` }),
  remote_no_free: (d) => ({ message: `shipping ${y(d.amount_minor)}: ${d.province} is excluded from free shipping`, message_zh: `运费${y(d.amount_minor)}（${d.province}为偏远地区，不参与包邮）` }),
  free_shipping: (d) => ({ message: `free shipping to ${d.province}`, message_zh: `包邮（${d.province}）` }),
  // whole-cart failures
  undeliverable_region: (d) => ({ message: `store ${d.store_id} does not ship to ${d.province}`, message_zh: `该店铺不支持配送至${d.province}` }),
  no_shipping_template: (d) => ({ message: `store ${d.store_id} has no shipping template`, message_zh: '该店铺未设置运费模板' }),
};

export function explain(code: string, details: D): Words {
  const f = TABLE[code];
  if (!f) throw new Error(`pricing: no explanation for code "${code}"`);
  return f(details);
}

export const KNOWN_CODES: readonly string[] = Object.keys(TABLE);
