import { Type } from 'typebox';
import type { AppContext } from '../../app/wire.ts';
import type { ClaimStatus, RequestStatus } from '../../modules/aftersales/index.ts';
import { errors, IdParam, Page, PageQuery } from '../schemas.ts';
import type { App } from '../types.ts';
import {
  ClaimBody, ClaimDetailSchema, ClaimSchema, ConfirmReturnBody, CounterfeitDecisionBody, CreateBody, DamageBody, DecideBody, DetailSchema, DisputeSchema, MessageBody, NoteBody,
  presentClaim, presentClaimDetail, presentDetail, presentDispute, presentRequest, ProofBody, ProposeBody, ReasonBody, RequestSchema, StatementBody, StatusQuery, TrackingBody,
} from './aftersales.schemas.ts';

const ReqParam = IdParam('requestId', 'asr');
const ClaimParam = IdParam('claimId', 'gcl');
const tags = ['aftersales'];
const ok = { ...errors(400, 401, 404, 409, 422) };

/**
 * Buyer after-sales under /api/v1/me: requests (refund only, return & refund, exchange) and
 * guarantee claims (保障单). Every step is in the request's `history`, visible to both sides.
 */
export const buyerAftersalesRoutes = (ctx: AppContext) => async (app: App) => {
  const as = ctx.aftersales;
  const me = (req: { principal: { account_id: string } | null }) => req.principal!.account_id;
  const detail = async (buyerId: string, id: string) => presentDetail(await as.buyerRequestDetail(buyerId, id), false);

  app.post('/me/aftersales', {
    schema: { tags, summary: 'Open an after-sales request (refund only before shipment is refunded at once: 极速退款)', body: CreateBody, response: { 201: DetailSchema, ...ok } },
  }, async (req, reply) => {
    const r = await as.createRequest(me(req), req.body);
    return reply.status(201).send(await detail(me(req), r.id));
  });
  app.get('/me/aftersales', { schema: { tags, querystring: StatusQuery, response: { 200: Page(RequestSchema), ...errors(400, 401) } } }, async (req) => {
    const q = req.query as { status?: RequestStatus; limit?: number; cursor?: string };
    const page = await as.buyerRequests(me(req), q);
    return { items: page.items.map(presentRequest), next_cursor: page.next_cursor };
  });
  app.get('/me/aftersales/:requestId', { schema: { tags, params: ReqParam, response: { 200: DetailSchema, ...errors(400, 401, 404) } } }, async (req) => detail(me(req), req.params.requestId));

  const action = <B>(path: string, summary: string, body: B, run: (buyerId: string, id: string, body: any) => Promise<unknown>) =>
    app.post(`/me/aftersales/:requestId/${path}`, { schema: { tags, summary, params: ReqParam, body: body as never, response: { 200: DetailSchema, ...ok } } }, async (req) => {
      await run(me(req), req.params.requestId, req.body ?? {});
      return detail(me(req), req.params.requestId);
    });
  action('accept-proposal', "Accept the merchant's proposed amount or type", Type.Object({}, { additionalProperties: false }), (b, id) => as.acceptProposal(b, id));
  action('reject-proposal', "Reject the merchant's proposal (back to the merchant, 48 h)", NoteBody, (b, id, body) => as.rejectProposal(b, id, body.note ?? ''));
  action('proof', 'Upload the proof the merchant asked for', ProofBody, (b, id, body) => as.submitProof(b, id, body));
  action('return-shipment', 'Post the return: carrier and tracking number (within 7 days of approval)', TrackingBody, (b, id, body) => as.shipReturn(b, id, body));
  action('escalate', 'Take a rejection to platform arbitration (纠纷单), within 7 days', StatementBody, (b, id, body) => as.escalate(b, id, body.statement));
  action('withdraw', 'Withdraw the request', Type.Object({}, { additionalProperties: false }), (b, id) => as.withdraw(b, id));
  action('messages', 'Add a message to the history', MessageBody, (b, id, body) => as.message({ buyer_id: b }, { kind: 'buyer', id: b }, id, body));

  app.post('/me/guarantee-claims', {
    schema: { tags, summary: 'File a guarantee claim (保障单): counterfeit (假一赔三) or damaged on arrival (坏损包退)', body: ClaimBody, response: { 201: ClaimDetailSchema, ...ok } },
  }, async (req, reply) => {
    const c = await as.fileClaim(me(req), req.body);
    return reply.status(201).send(presentClaimDetail(await as.buyerClaimDetail(me(req), c.id), false));
  });
  app.get('/me/guarantee-claims', { schema: { tags, querystring: PageQuery, response: { 200: Page(ClaimSchema), ...errors(400, 401) } } }, async (req) => {
    const page = await as.buyerClaims(me(req), req.query);
    return { items: page.items.map(presentClaim), next_cursor: page.next_cursor };
  });
  app.get('/me/guarantee-claims/:claimId', { schema: { tags, params: ClaimParam, response: { 200: ClaimDetailSchema, ...errors(400, 401, 404) } } }, async (req) =>
    presentClaimDetail(await as.buyerClaimDetail(me(req), req.params.claimId), false));
};

/**
 * The merchant's after-sales desk under /api/v1/merchant. Deciding (approve, reject, propose,
 * confirm a return, damage ratios) needs `orders.write` — the owner and operator roles;
 * customer service (`orders.read` + `service.reply`) reads everything and writes messages.
 */
export const merchantAftersalesRoutes = (ctx: AppContext) => async (app: App) => {
  const as = ctx.aftersales;
  const StoreParams = IdParam('storeId', 'sto');
  const StoreReq = Type.Intersect([StoreParams, ReqParam]);
  const StoreClaim = Type.Intersect([StoreParams, ClaimParam]);
  const staff = (req: { principal: { account_id: string } | null }) => ({ kind: 'merchant' as const, id: req.principal!.account_id });
  const detail = async (storeId: string, id: string) => presentDetail(await as.storeRequestDetail(storeId, id), true);
  const read = { permission: 'orders.read' as const };
  const write = { permission: 'orders.write' as const };

  app.get('/stores/:storeId/aftersales', { config: read, schema: { tags, params: StoreParams, querystring: StatusQuery, response: { 200: Page(RequestSchema), ...errors(400, 401, 403, 404) } } }, async (req) => {
    const page = await as.storeRequests(req.params.storeId, req.query as { status?: RequestStatus });
    return { items: page.items.map(presentRequest), next_cursor: page.next_cursor };
  });
  app.get('/stores/:storeId/aftersales/queue', {
    config: read, schema: { tags, summary: 'Requests waiting on the store, nearest deadline first (deadline_action says what happens then)', params: StoreParams, querystring: PageQuery, response: { 200: Page(RequestSchema), ...errors(400, 401, 403, 404) } },
  }, async (req) => {
    const page = await as.storeQueue(req.params.storeId, req.query);
    return { items: page.items.map(presentRequest), next_cursor: page.next_cursor };
  });
  app.get('/stores/:storeId/aftersales/:requestId', { config: read, schema: { tags, params: StoreReq, response: { 200: DetailSchema, ...errors(400, 401, 403, 404) } } }, async (req) =>
    detail(req.params.storeId, req.params.requestId));

  const action = <B>(path: string, summary: string, body: B, run: (storeId: string, actor: ReturnType<typeof staff>, id: string, body: any) => Promise<unknown>, config: { permission: 'orders.write' | 'service.reply' } = write) =>
    app.post(`/stores/:storeId/aftersales/:requestId/${path}`, { config, schema: { tags, summary, params: StoreReq, body: body as never, response: { 200: DetailSchema, ...errors(400, 401, 403, 404, 409, 422) } } }, async (req) => {
      await run(req.params.storeId, staff(req), req.params.requestId, req.body ?? {});
      return detail(req.params.storeId, req.params.requestId);
    });
  action('approve', 'Approve as asked (refund now, or wait for the return)', Type.Object({}, { additionalProperties: false }), (s, a, id) => as.approve(s, a, id));
  action('reject', 'Reject (or refuse the returned goods) with a reason; the buyer may escalate', ReasonBody, (s, a, id, b) => as.reject(s, a, id, b.reason));
  action('propose', 'Negotiate: another amount, another type, or ask for proof', ProposeBody, (s, a, id, b) => as.propose(s, a, id, b));
  action('confirm-return', 'The returned goods arrived: refund (or ship the exchange replacement)', ConfirmReturnBody, (s, a, id, b) => as.confirmReturn(s, a, id, b.replacement, { restock: b.restock }));
  action('messages', 'Reply in the history (customer service may)', MessageBody, (s, a, id, b) => as.message({ store_id: s }, a, id, b), { permission: 'service.reply' });

  app.get('/stores/:storeId/guarantee-claims', {
    config: read, schema: { tags, params: StoreParams, querystring: Type.Intersect([PageQuery, Type.Object({ status: Type.Optional(Type.Union(['submitted', 'refunding', 'paid', 'rejected'].map((s) => Type.Literal(s)))) })]), response: { 200: Page(ClaimSchema), ...errors(400, 401, 403, 404) } },
  }, async (req) => {
    const page = await as.storeClaims(req.params.storeId, req.query as { status?: ClaimStatus });
    return { items: page.items.map(presentClaim), next_cursor: page.next_cursor };
  });
  app.get('/stores/:storeId/guarantee-claims/:claimId', { config: read, schema: { tags, params: StoreClaim, response: { 200: ClaimDetailSchema, ...errors(400, 401, 403, 404) } } }, async (req) =>
    presentClaimDetail(await as.storeClaimDetail(req.params.storeId, req.params.claimId), true));
  app.post('/stores/:storeId/guarantee-claims/:claimId/damage-ratio', {
    config: write, schema: { tags, summary: '坏损包退: refund this share of what the damaged units may refund (silent 48 h = 100%)', params: StoreClaim, body: DamageBody, response: { 200: ClaimDetailSchema, ...errors(400, 401, 403, 404, 409, 422) } },
  }, async (req) => {
    await as.decideDamage(req.params.storeId, staff(req), req.params.claimId, req.body.damage_ratio_bp, req.body.note);
    return presentClaimDetail(await as.storeClaimDetail(req.params.storeId, req.params.claimId), true);
  });
  app.post('/stores/:storeId/guarantee-claims/:claimId/reject', {
    config: write, schema: { tags, params: StoreClaim, body: ReasonBody, response: { 200: ClaimDetailSchema, ...errors(400, 401, 403, 404, 409) } },
  }, async (req) => {
    await as.rejectDamage(req.params.storeId, staff(req), req.params.claimId, req.body.reason);
    return presentClaimDetail(await as.storeClaimDetail(req.params.storeId, req.params.claimId), true);
  });
};

/** The platform console under /api/v1/console (operators): arbitration and counterfeit claims. */
export const consoleAftersalesRoutes = (ctx: AppContext) => async (app: App) => {
  const as = ctx.aftersales;
  const op = { auth: 'operator' as const };
  const ctags = ['console: aftersales'];
  const DisputeParam = IdParam('disputeId', 'dsp');
  const operator = (req: { principal: { account_id: string } | null }) => req.principal!.account_id;
  const disputeDetail = async (id: string) => {
    const d = await as.disputeDetail(id);
    return { dispute: presentDispute(d.dispute), ...presentDetail(d.detail, true) };
  };
  const DisputeDetail = Type.Intersect([Type.Object({ dispute: DisputeSchema }), DetailSchema]);

  app.get('/aftersales/disputes', {
    config: op, schema: { tags: ctags, summary: 'Disputes (纠纷单), oldest first', querystring: Type.Intersect([PageQuery, Type.Object({ status: Type.Optional(Type.Union([Type.Literal('open'), Type.Literal('decided')])) })]), response: { 200: Page(Type.Intersect([DisputeSchema, Type.Object({ request: RequestSchema })])), ...errors(400, 401, 403) } },
  }, async (req) => {
    const page = await as.disputes(req.query as { status?: 'open' | 'decided' });
    return { items: page.items.map((d) => ({ ...presentDispute(d), request: presentRequest(d.request) })), next_cursor: page.next_cursor };
  });
  app.get('/aftersales/disputes/:disputeId', { config: op, schema: { tags: ctags, params: DisputeParam, response: { 200: DisputeDetail, ...errors(400, 401, 403, 404) } } }, async (req) => disputeDetail(req.params.disputeId));
  app.post('/aftersales/disputes/:disputeId/decide', {
    config: op, schema: { tags: ctags, summary: 'Decide with a written reason: for the buyer (refund / return goes on) or for the merchant (closes)', params: DisputeParam, body: DecideBody, response: { 200: DisputeDetail, ...errors(400, 401, 403, 404, 409, 422) } },
  }, async (req) => {
    await as.decideDispute(operator(req), req.params.disputeId, req.body);
    return disputeDetail(req.params.disputeId);
  });
  app.post('/aftersales/requests/:requestId/retry-refund', {
    config: op, schema: { tags: ctags, summary: 'Send a refund the provider refused back to payments', params: ReqParam, response: { 200: DetailSchema, ...errors(400, 401, 403, 404, 409) } },
  }, async (req) => {
    await as.retryRefund(operator(req), req.params.requestId);
    return presentDetail(await as.requestDetail(req.params.requestId), true);
  });

  app.get('/guarantee-claims', {
    config: op, schema: { tags: ctags, summary: 'Guarantee claims to decide (default: counterfeit, submitted), oldest first', querystring: Type.Intersect([PageQuery, Type.Object({ kind: Type.Optional(Type.Union(['counterfeit', 'damaged', 'shipping_insurance'].map((k) => Type.Literal(k)))), status: Type.Optional(Type.Union(['submitted', 'refunding', 'paid', 'rejected'].map((s) => Type.Literal(s)))) })]), response: { 200: Page(ClaimSchema), ...errors(400, 401, 403) } },
  }, async (req) => {
    const page = await as.consoleClaims(req.query as never);
    return { items: page.items.map(presentClaim), next_cursor: page.next_cursor };
  });
  app.get('/guarantee-claims/:claimId', { config: op, schema: { tags: ctags, params: ClaimParam, response: { 200: ClaimDetailSchema, ...errors(400, 401, 403, 404) } } }, async (req) =>
    presentClaimDetail(await as.consoleClaimDetail(req.params.claimId), true));
  app.post('/guarantee-claims/:claimId/decide', {
    config: op, schema: { tags: ctags, summary: '假一赔三: approve (the merchant pays appraisal + 3 × price through the ledger) or reject, with a written reason', params: ClaimParam, body: CounterfeitDecisionBody, response: { 200: ClaimDetailSchema, ...errors(400, 401, 403, 404, 409) } },
  }, async (req) => {
    await as.decideCounterfeit(operator(req), req.params.claimId, req.body);
    return presentClaimDetail(await as.consoleClaimDetail(req.params.claimId), true);
  });
};
