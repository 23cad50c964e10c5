import { notFound } from '../../lib/errors.ts';
import { clampLimit, decodeCursor, toPage, type Page } from '../../lib/page.ts';
import type { ActorKind, ClaimKind, ClaimRow, ClaimStatus, DisputeRow, Proposal, RequestRow, StepRow } from './aftersales.repo.ts';
import { parseJson, type Ctx } from './context.ts';
import { DEADLINES, WAITING_ON, type RequestStatus } from './request-machine.ts';

export interface RequestView extends Omit<RequestRow, 'evidence' | 'proposal' | 'active' | 'instant' | 'shipping_insurance'> {
  evidence: string[];
  proposal: Proposal | null;
  open: boolean;
  instant: boolean;
  shipping_insurance: boolean;
  waiting_on: (typeof WAITING_ON)[RequestStatus];
  /** What happens at `deadline_at` if nobody acts. */
  deadline_action: string | null;
}
export interface StepView { actor_kind: ActorKind; actor_id: string | null; action: string; from_status: string | null; to_status: string | null; note: string; data: Record<string, unknown>; at: number }
export interface RequestDetail {
  request: RequestView;
  line: { title: string; spec: Record<string, string>; quantity: number; unit_price_minor: number; paid_minor: number; refunded_minor: number } | null;
  steps: StepView[];
  disputes: DisputeRow[];
  refunds: { id: string; amount_minor: number; status: string; created_at: number; finished_at: number | null }[];
}
export interface ClaimView extends Omit<ClaimRow, 'evidence'> { evidence: string[] }

export const toRequestView = (r: RequestRow): RequestView => ({
  ...r, evidence: parseJson<string[]>(r.evidence, []), proposal: parseJson<Proposal | null>(r.proposal, null), open: r.active === 1, instant: r.instant === 1,
  shipping_insurance: r.shipping_insurance === 1, waiting_on: WAITING_ON[r.status], deadline_action: r.deadline_at === null ? null : DEADLINES[r.status]?.fires ?? null,
});
const toStep = (s: StepRow): StepView => ({ actor_kind: s.actor_kind, actor_id: s.actor_id, action: s.action, from_status: s.from_status, to_status: s.to_status, note: s.note, data: parseJson(s.data, {}), at: s.at });
const toClaimView = (c: ClaimRow): ClaimView => ({ ...c, evidence: parseJson<string[]>(c.evidence, []) });

/** Statuses in the merchant's to-do queue: each carries a deadline with an automatic outcome. */
const MERCHANT_QUEUE: RequestStatus[] = ['pending_merchant', 'return_delivered'];

export interface RequestFilter { status?: RequestStatus; limit?: number; cursor?: string }

/** Reads for buyers (their own), merchants (their store's) and the platform console. */
export function createQueries(ctx: Ctx) {
  const { repo } = ctx;

  async function detail(r: RequestRow): Promise<RequestDetail> {
    const line = (await ctx.orders.lines(r.order_id)).find((l) => l.id === r.line_id);
    const refunds = await repo.q().selectFrom('aftersales_refunds').select(['id', 'amount_minor', 'status', 'created_at', 'finished_at']).where('subject_id', '=', r.id).orderBy('id').execute();
    return {
      request: toRequestView(r),
      line: line ? { title: line.title, spec: parseJson(line.spec, {}), quantity: line.quantity, unit_price_minor: line.unit_price_minor, paid_minor: line.paid_minor, refunded_minor: line.refunded_minor } : null,
      steps: (await repo.steps(r.id)).map(toStep), disputes: await repo.disputesOf(r.id), refunds,
    };
  }

  async function page(where: { buyer_id?: string; store_id?: string }, f: RequestFilter): Promise<Page<RequestView>> {
    const limit = clampLimit(f.limit);
    const after = decodeCursor(f.cursor);
    let q = repo.q().selectFrom('aftersales_requests').selectAll().orderBy('id', 'desc').limit(limit + 1);
    if (where.buyer_id) q = q.where('buyer_id', '=', where.buyer_id);
    if (where.store_id) q = q.where('store_id', '=', where.store_id);
    if (f.status) q = q.where('status', '=', f.status);
    if (after !== undefined) q = q.where('id', '<', String(after));
    return toPage((await q.execute()).map(toRequestView), limit, (r) => r.id);
  }

  async function claimPage(where: { buyer_id?: string; store_id?: string; kind?: ClaimKind; status?: ClaimStatus }, f: { limit?: number; cursor?: string }, oldestFirst = false): Promise<Page<ClaimView>> {
    const limit = clampLimit(f.limit);
    const after = decodeCursor(f.cursor);
    let q = repo.q().selectFrom('aftersales_claims').selectAll().orderBy('id', oldestFirst ? 'asc' : 'desc').limit(limit + 1);
    for (const k of ['buyer_id', 'store_id', 'kind', 'status'] as const) if (where[k]) q = q.where(k, '=', where[k]!);
    if (after !== undefined) q = q.where('id', oldestFirst ? '>' : '<', String(after));
    return toPage((await q.execute()).map(toClaimView), limit, (c) => c.id);
  }

  async function claimDetail(c: ClaimRow | undefined, id: string): Promise<{ claim: ClaimView; steps: StepView[] }> {
    if (!c) throw notFound('guarantee_claim', id);
    return { claim: toClaimView(c), steps: (await repo.steps(c.id)).map(toStep) };
  }

  return {
    buyerRequests: (buyerId: string, f: RequestFilter) => page({ buyer_id: buyerId }, f),
    async buyerRequestDetail(buyerId: string, id: string): Promise<RequestDetail> {
      const r = await repo.request(id);
      if (!r || r.buyer_id !== buyerId) throw notFound('aftersales_request', id);
      return detail(r);
    },
    storeRequests: (storeId: string, f: RequestFilter) => page({ store_id: storeId }, f),
    /** The merchant's to-do list: requests waiting on the store, the nearest deadline first. */
    async storeQueue(storeId: string, f: { limit?: number; cursor?: string }): Promise<Page<RequestView>> {
      const limit = clampLimit(f.limit);
      const after = decodeCursor(f.cursor);
      let q = repo.q().selectFrom('aftersales_requests').selectAll().where('store_id', '=', storeId).where('active', '=', 1).where('status', 'in', MERCHANT_QUEUE)
        .orderBy('deadline_at').orderBy('id').limit(limit + 1);
      if (after !== undefined) {
        const [at, id] = String(after).split('|');
        q = q.where((eb) => eb.or([eb('deadline_at', '>', Number(at)), eb.and([eb('deadline_at', '=', Number(at)), eb('id', '>', id)])]));
      }
      return toPage((await q.execute()).map(toRequestView), limit, (r) => `${r.deadline_at}|${r.id}`);
    },
    async storeRequestDetail(storeId: string, id: string): Promise<RequestDetail> {
      const r = await repo.request(id);
      if (!r || r.store_id !== storeId) throw notFound('aftersales_request', id);
      return detail(r);
    },
    /** Console: any request. */
    async requestDetail(id: string): Promise<RequestDetail> {
      const r = await repo.request(id);
      if (!r) throw notFound('aftersales_request', id);
      return detail(r);
    },
    /** Console: disputes, oldest first. */
    async disputes(f: { status?: 'open' | 'decided'; limit?: number; cursor?: string }): Promise<Page<DisputeRow & { request: RequestView }>> {
      const limit = clampLimit(f.limit);
      const after = decodeCursor(f.cursor);
      let q = repo.q().selectFrom('aftersales_disputes').selectAll().where('status', '=', f.status ?? 'open').orderBy('id').limit(limit + 1);
      if (after !== undefined) q = q.where('id', '>', String(after));
      const rows = await q.execute();
      const out = await Promise.all(rows.map(async (d) => ({ ...d, request: toRequestView((await repo.request(d.request_id))!) })));
      return toPage(out, limit, (d) => d.id);
    },
    async disputeDetail(id: string): Promise<{ dispute: DisputeRow; detail: RequestDetail }> {
      const d = await repo.dispute(id);
      if (!d) throw notFound('dispute', id);
      return { dispute: d, detail: await detail((await repo.request(d.request_id))!) };
    },
    buyerClaims: (buyerId: string, f: { limit?: number; cursor?: string }) => claimPage({ buyer_id: buyerId }, f),
    storeClaims: (storeId: string, f: { status?: ClaimStatus; limit?: number; cursor?: string }) => claimPage({ store_id: storeId, status: f.status }, f),
    consoleClaims: (f: { kind?: ClaimKind; status?: ClaimStatus; limit?: number; cursor?: string }) => claimPage({ kind: f.kind ?? 'counterfeit', status: f.status ?? 'submitted' }, f, true),
    async buyerClaimDetail(buyerId: string, id: string) {
      const c = await repo.claim(id);
      return claimDetail(c?.buyer_id === buyerId ? c : undefined, id);
    },
    async storeClaimDetail(storeId: string, id: string) {
      const c = await repo.claim(id);
      return claimDetail(c?.store_id === storeId ? c : undefined, id);
    },
    consoleClaimDetail: async (id: string) => claimDetail(await repo.claim(id), id),

    /**
     * Settlement asks this before paying a merchant for an order: while an after-sales request
     * or a guarantee claim on it is open, the order's money stays in escrow.
     */
    hasOpenRequest: async (orderId: string, ex?: Parameters<typeof repo.openCount>[1]) => (await repo.openCount(orderId, ex)) > 0,
  };
}
