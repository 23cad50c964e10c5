import { parseYuan } from '../lib/format.ts';
import type { MessageKey } from '../lib/messages.ts';
import type { PresaleOffer, RuleProblem } from './types.ts';

/**
 * The pre-sale form's data, apart from the screen: what was typed, the body the API takes
 * (PUT …/campaign-registrations/{id}/presale), which field each of the server's refusals
 * belongs to, and what the buyer will see. The rules themselves (deposit ≤ 20% of the price,
 * inflation ≤ 5×, value < price, stock within the registration's) are the server's:
 * campaigns/presale.ts explains every failed one, this only places the explanation.
 */
export type PresaleField = 'price' | 'deposit' | 'value' | 'stock' | 'limit';
export const PRESALE_FIELDS: readonly PresaleField[] = ['price', 'deposit', 'value', 'stock', 'limit'];
export type PresaleDraft = Record<PresaleField, string>;
export interface PresaleBody { price_minor: number; deposit_minor: number; deposit_value_minor?: number; stock: number; per_buyer_limit: number }

const FIELD_OF: Record<string, PresaleField> = {
  invalid_price: 'price', presale_price_above_campaign_price: 'price',
  invalid_deposit: 'deposit', deposit_above_legal_cap: 'deposit',
  deposit_value_below_deposit: 'value', deposit_value_not_below_price: 'value', inflation_too_high: 'value',
  invalid_presale_stock: 'stock', invalid_per_buyer_limit: 'limit',
};

/** The server's problems by the field they are about; ones no field owns stay in `other`. */
export function problemsByField(problems: readonly RuleProblem[]): { fields: Partial<Record<PresaleField, RuleProblem[]>>; other: RuleProblem[] } {
  const fields: Partial<Record<PresaleField, RuleProblem[]>> = {};
  const other: RuleProblem[] = [];
  for (const p of problems) {
    const f = FIELD_OF[p.code];
    if (f) (fields[f] ??= []).push(p);
    else other.push(p);
  }
  return { fields, other };
}

const fenText = (fen: number) => `${Math.floor(fen / 100)}.${String(fen % 100).padStart(2, '0')}`;

/** The form's starting values: the saved offer, or the registration's campaign price and a limit of 1. */
export function draftOf(offer: PresaleOffer | undefined, campaignPriceMinor: number): PresaleDraft {
  if (!offer) return { price: fenText(campaignPriceMinor), deposit: '', value: '', stock: '', limit: '1' };
  return {
    price: fenText(offer.price_minor), deposit: fenText(offer.deposit_minor),
    value: offer.deposit_value_minor > offer.deposit_minor ? fenText(offer.deposit_value_minor) : '',
    stock: String(offer.stock), limit: String(offer.per_buyer_limit),
  };
}

const count = (s: string) => (/^\s*\d{1,7}\s*$/.test(s) ? Number(s) : null);

/**
 * What was typed, as the API's body; fields that are not a sum of money or a whole number are
 * named with the message to show (nothing is sent then). An empty value means no inflation.
 */
export function bodyOf(d: PresaleDraft): { body: PresaleBody | null; bad: Partial<Record<PresaleField, MessageKey>> } {
  const bad: Partial<Record<PresaleField, MessageKey>> = {};
  const price = parseYuan(d.price);
  const deposit = parseYuan(d.deposit);
  const value = d.value.trim() === '' ? undefined : parseYuan(d.value);
  const stock = count(d.stock);
  const limit = count(d.limit);
  if (price === null || price < 1) bad.price = 'm.ps.badMoney';
  if (deposit === null || deposit < 1) bad.deposit = 'm.ps.badMoney';
  if (value === null || value === 0) bad.value = 'm.ps.badMoney';
  if (stock === null || stock < 1) bad.stock = 'm.ps.badCount';
  if (limit === null || limit < 1) bad.limit = 'm.ps.badCount';
  if (Object.keys(bad).length > 0) return { body: null, bad };
  return { body: { price_minor: price!, deposit_minor: deposit!, ...(value !== undefined ? { deposit_value_minor: value as number } : {}), stock: stock!, per_buyer_limit: limit! }, bad };
}

/** What a buyer sees for one unit: the deposit, what it counts for, the final price and the balance. */
export function previewOf(d: PresaleDraft): { deposit_minor: number; deposit_value_minor: number; price_minor: number; balance_minor: number } | null {
  const price = parseYuan(d.price);
  const deposit = parseYuan(d.deposit);
  const value = d.value.trim() === '' ? deposit : parseYuan(d.value);
  if (price === null || deposit === null || value === null || price < 1 || deposit < 1) return null;
  return { deposit_minor: deposit, deposit_value_minor: value, price_minor: price, balance_minor: price - value };
}
