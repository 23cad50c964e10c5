import { Type } from 'typebox';
import type { AppContext } from '../../app/wire.ts';
import { toIso } from '../../lib/clock.ts';
import type { AccountCode } from '../../modules/ledger/index.ts';
import { errors, IdParam, MoneyMinor, Page, PageQuery, Timestamp } from '../schemas.ts';
import type { App } from '../types.ts';

const StoreParams = IdParam('storeId', 'sto');
const ACCOUNTS: Record<string, AccountCode> = { available: 'merchant_available', escrow: 'platform_escrow', payouts: 'merchant_payouts', owed: 'merchant_compensation_owed' };

const BalanceSchema = Type.Object({
  currency: Type.Literal('CNY'),
  pending_minor: MoneyMinor, available_minor: MoneyMinor, paid_out_minor: MoneyMinor, owed_minor: MoneyMinor,
  pending_orders: Type.Integer({ description: 'paid orders not settled yet (their money is in escrow)' }),
});
const StatementLineSchema = Type.Object({
  entry_id: Type.String(), transfer_id: Type.String(), reason: Type.String(), reason_zh: Type.String(), ref_type: Type.Union([Type.String(), Type.Null()]),
  ref_id: Type.Union([Type.String(), Type.Null()]), memo: Type.String(), amount_minor: Type.Integer({ description: 'signed: positive raised the balance' }),
  balance_after_minor: Type.Integer(), currency: Type.Literal('CNY'), created_at: Timestamp,
});
const PayoutSchema = Type.Object({
  id: Type.String(), store_id: Type.String(), amount_minor: MoneyMinor, currency: Type.Literal('CNY'), bank_name: Type.String(), account_name: Type.String(),
  account_no_masked: Type.String(), status: Type.String(), created_at: Timestamp,
});
const presentPayout = (p: { id: string; store_id: string; amount_minor: number; currency: 'CNY'; bank_name: string; account_name: string; account_no_masked: string; status: string; created_at: number }) => ({
  id: p.id, store_id: p.store_id, amount_minor: p.amount_minor, currency: p.currency, bank_name: p.bank_name, account_name: p.account_name, account_no_masked: p.account_no_masked,
  status: p.status, created_at: toIso(p.created_at)!,
});

/** A merchant's money: balances (pending in escrow, available), the statement, withdrawals. Under /merchant. */
export const merchantFinanceRoutes = (ctx: AppContext) => async (app: App) => {
  const balance = async (storeId: string, code: AccountCode) => (await ctx.ledger.findAccount(ctx.db.kysely, code, storeId))?.balance_minor ?? 0;

  app.get('/stores/:storeId/finance/balance', {
    config: { permission: 'finance.read' },
    schema: { tags: ['finance'], summary: 'Balances: pending (paid, not settled — in escrow), available to withdraw, paid out, owed to the platform', params: StoreParams, response: { 200: BalanceSchema, ...errors(401, 403, 404) } },
  }, async (req) => {
    const s = req.params.storeId;
    const funds = await ctx.payments.storeFunds(s);
    return {
      currency: 'CNY' as const, pending_minor: await balance(s, 'platform_escrow'), available_minor: await balance(s, 'merchant_available'),
      paid_out_minor: await balance(s, 'merchant_payouts'), owed_minor: await balance(s, 'merchant_compensation_owed'), pending_orders: funds.held_orders,
    };
  });

  app.get('/stores/:storeId/finance/statement', {
    config: { permission: 'finance.read' },
    schema: {
      tags: ['finance'], summary: 'Statement of an account (newest first): available (default), escrow (pending), payouts or owed', params: StoreParams,
      querystring: Type.Intersect([PageQuery, Type.Object({ account: Type.Optional(Type.Union(Object.keys(ACCOUNTS).map((k) => Type.Literal(k)))) })]),
      response: { 200: Page(StatementLineSchema), ...errors(400, 401, 403, 404) },
    },
  }, async (req) => {
    const q = req.query as { account?: string; limit?: number; cursor?: string };
    const account = await ctx.ledger.findAccount(ctx.db.kysely, ACCOUNTS[q.account ?? 'available'], req.params.storeId);
    if (!account) return { items: [], next_cursor: null };
    const page = await ctx.ledger.statement(account.id, { limit: q.limit, cursor: q.cursor });
    return {
      items: page.items.map((l) => ({ entry_id: l.entry_id, transfer_id: l.transfer_id, reason: l.reason, reason_zh: l.reason_zh, ref_type: l.ref_type, ref_id: l.ref_id, memo: l.memo, amount_minor: l.amount_minor, balance_after_minor: l.balance_after_minor, currency: l.currency, created_at: toIso(l.created_at)! })),
      next_cursor: page.next_cursor,
    };
  });

  app.post('/stores/:storeId/finance/withdrawals', {
    config: { permission: 'store.manage' },
    schema: {
      tags: ['finance'], summary: 'Withdraw from the available balance to a bank account (owner only; send an Idempotency-Key)', params: StoreParams,
      body: Type.Object({
        amount_minor: Type.Integer({ minimum: 1, maximum: 100_000_000_00 }), bank_name: Type.String({ minLength: 2, maxLength: 40 }),
        account_name: Type.String({ minLength: 2, maxLength: 60 }), account_no: Type.String({ pattern: '^[0-9]{12,30}$' }),
      }, { additionalProperties: false }),
      response: { 201: PayoutSchema, ...errors(400, 401, 403, 404, 409, 422) },
    },
  }, async (req, reply) => reply.status(201).send(presentPayout(await ctx.payments.withdraw(req.params.storeId, req.body, req.principal!.account_id))));

  app.get('/stores/:storeId/finance/withdrawals', {
    config: { permission: 'finance.read' },
    schema: { tags: ['finance'], params: StoreParams, querystring: PageQuery, response: { 200: Page(PayoutSchema), ...errors(400, 401, 403, 404) } },
  }, async (req) => {
    const page = await ctx.payments.payouts(req.params.storeId, req.query as { limit?: number; cursor?: string });
    return { items: page.items.map(presentPayout), next_cursor: page.next_cursor };
  });
};
