/**
 * The `shipping` stage: one fee per store order from the store's template — the rule for the
 * buyer's province (or the template's '*' rule), first unit(s) plus each started block of
 * additional units, by item count or by weight — free when the store's goods after discounts
 * reach the template's threshold, except in its remote provinces (偏远地区不包邮). The fee is
 * allocated to the store's lines in proportion to what they pay for goods.
 */
import { allocate } from '../../../lib/money.ts';
import { pushStep, type EngineState, type LineState } from './state.ts';
import type { PricingFail, ShippingRule, ShippingTemplate } from './pricing.types.ts';
import { explain } from './reasons.ts';

function assertTemplate(t: ShippingTemplate): void {
  const fen = (n: number) => Number.isSafeInteger(n) && n >= 0;
  for (const r of t.rules) {
    if (!(fen(r.first_fee_minor) && fen(r.additional_fee_minor) && Number.isSafeInteger(r.first_units) && r.first_units >= 1 && Number.isSafeInteger(r.additional_units) && r.additional_units >= 1)) {
      throw new Error(`shipping template ${t.template_id}: fees must be fen ≥ 0 and units ≥ 1`);
    }
  }
  if (t.free_over_minor !== undefined && t.free_over_minor !== null && !fen(t.free_over_minor)) throw new Error(`shipping template ${t.template_id}: free_over_minor must be fen ≥ 0`);
}

export function ruleFor(t: ShippingTemplate, province: string): ShippingRule | undefined {
  return t.rules.find((r) => r.provinces !== '*' && r.provinces.includes(province)) ?? t.rules.find((r) => r.provinces === '*');
}

/** first fee for up to `first_units`, then `additional_fee` per started block of `additional_units`. */
export function feeFor(r: ShippingRule, units: number): number {
  if (units <= 0) return 0;
  const extra = Math.max(0, units - r.first_units);
  return r.first_fee_minor + Math.ceil(extra / r.additional_units) * r.additional_fee_minor;
}

function unitsOf(t: ShippingTemplate, lines: LineState[]): number {
  if (t.basis === 'quantity') return lines.reduce((n, l) => n + l.line.quantity, 0);
  return lines.reduce((g, l) => {
    const w = l.line.weight_g;
    if (w === undefined || !Number.isSafeInteger(w) || w < 0) throw new Error(`line ${l.line.line_id}: weight_g is required by weight-based template ${t.template_id}`);
    return g + w * l.line.quantity;
  }, 0);
}

function fail(code: PricingFail['code'], details: Record<string, unknown>): PricingFail {
  return { ok: false, code, ...explain(code, details), details };
}

export function shippingStage(s: EngineState): PricingFail | null {
  const province = s.input.province;
  const stores = [...new Set(s.lines.map((l) => l.line.store_id))];
  const plans: { store: string; t: ShippingTemplate; rule: ShippingRule }[] = [];
  const missing: string[] = [];
  const undeliverable: string[] = [];
  for (const store of stores) {
    const found = s.input.shipping_templates.filter((t) => t.store_id === store);
    if (found.length > 1) throw new Error(`store ${store} has ${found.length} shipping templates; pass the one that applies`);
    const t = found[0];
    if (!t) { missing.push(store); continue; }
    assertTemplate(t);
    const rule = ruleFor(t, province);
    if (!rule) undeliverable.push(store);
    else plans.push({ store, t, rule });
  }
  if (missing.length) return fail('no_shipping_template', { store_id: missing[0], store_ids: missing });
  if (undeliverable.length) return fail('undeliverable_region', { store_id: undeliverable[0], store_ids: undeliverable, province });
  for (const p of plans) chargeStore(s, p.store, p.t, p.rule, province);
  return null;
}

function chargeStore(s: EngineState, store: string, t: ShippingTemplate, rule: ShippingRule, province: string): void {
  const lines = s.lines.filter((l) => l.line.store_id === store);
  const units = unitsOf(t, lines);
  const fee = feeFor(rule, units);
  const goodsPaid = lines.reduce((n, l) => n + l.current_minor, 0);
  const remote = (t.no_free_provinces ?? []).includes(province);
  const freeOver = t.free_over_minor ?? null;
  const reached = freeOver !== null && goodsPaid >= freeOver;
  const charged = reached && !remote ? 0 : fee;
  const code = reached && !remote ? 'free_over_threshold' : reached && remote && fee > 0 ? 'remote_no_free' : fee > 0 ? 'shipping_fee' : 'free_shipping';
  const shares = charged === 0 ? lines.map(() => 0) : allocate(charged, lines.map((l) => l.current_minor));
  lines.forEach((l, i) => (l.shipping_minor = shares[i]));
  s.shipping.set(store, { template_id: t.template_id, fee_minor: charged });
  const details = { store_id: store, template_id: t.template_id, province, basis: t.basis, units, fee_minor: fee, goods_paid_minor: goodsPaid, free_over_minor: freeOver, remote };
  pushStep(s, 'shipping', { source_kind: 'shipping', source_id: t.template_id }, charged, code, details, lines.map((l, i) => ({ line_id: l.line.line_id, amount_minor: shares[i] })));
}
