import type { Clock } from '../../lib/clock.ts';
import { AppError } from '../../lib/errors.ts';
import { newId } from '../../lib/ids.ts';
import type { Executor } from '../../db/index.ts';
import type { Outbox } from '../../db/outbox.ts';
import type { Scheduler } from '../../db/scheduler.ts';
import type { Actor, AftersalesRepo, RequestRow } from './aftersales.repo.ts';
import type { AftersalesConfig } from './policy.ts';
import { DEADLINES, isTerminal, nextStatus, type RequestEvent, type RequestStatus } from './request-machine.ts';

export const DEADLINE_JOB = 'aftersales.request_deadline';
export const deadlineKey = (id: string, status: RequestStatus, at: number) => `asr:${id}:${status}:${at}`;

export interface MoveInput {
  event: RequestEvent;
  actor: Actor;
  note?: string;
  /** Shown in the step log (amounts, tracking numbers, evidence…). */
  data?: Record<string, unknown>;
  /** Other fields changing with the move (an accepted proposal's type and amount, the rejection reason…). */
  patch?: Partial<RequestRow>;
}

/** Called in the same transaction once a request enters `refunding`: queue the money. */
export type OnRefunding = (tx: Executor, req: RequestRow) => Promise<void>;

/**
 * The one way a request changes state: check the machine, move conditionally (`where status
 * = current`), replace the deadline job, log the step (who, when, what), emit
 * `aftersales.<to>`. An illegal move is a 409 carrying the current state.
 */
export function createRequestTransitions(deps: { repo: AftersalesRepo; clock: Clock; outbox: Outbox; scheduler: Scheduler; config: AftersalesConfig; onRefunding: OnRefunding }) {
  const { repo, clock, outbox, scheduler, config } = deps;

  async function step(tx: Executor, req: Pick<RequestRow, 'id'>, s: { actor: Actor; action: string; from?: string | null; to?: string | null; note?: string; data?: Record<string, unknown> }): Promise<void> {
    await repo.insertStep(tx, {
      id: newId('ast'), subject_id: req.id, actor_kind: s.actor.kind, actor_id: s.actor.id, action: s.action, from_status: s.from ?? null, to_status: s.to ?? null,
      note: s.note ?? '', data: JSON.stringify(s.data ?? {}), at: clock.now(),
    });
  }

  async function move(tx: Executor, req: RequestRow, input: MoveInput): Promise<RequestRow> {
    const type = input.patch?.type ?? req.type;
    const t = nextStatus(req.status, input.event, type);
    if (!t.ok) throw new AppError('conflict', 'illegal_transition', t.message, { request_id: req.id, current_status: t.current, event: input.event }).zh('售后单当前状态不允许此操作');
    const now = clock.now();
    const d = DEADLINES[t.to];
    const terminal = isTerminal(t.to);
    const patch: Partial<RequestRow> = {
      proposal: null, ...input.patch, status: t.to, updated_at: now, deadline_at: d ? now + config[d.after] : null, active: terminal ? 0 : 1, finished_at: terminal ? now : null,
    };
    if (!(await repo.move(tx, req.id, req.status, patch))) {
      const fresh = await repo.request(req.id, tx);
      throw new AppError('conflict', 'illegal_transition', `the request changed meanwhile; it is now ${fresh?.status}`, { request_id: req.id, current_status: fresh?.status, event: input.event }).zh('售后单状态已变化，请刷新');
    }
    if (req.deadline_at !== null) await scheduler.cancel(tx, deadlineKey(req.id, req.status, req.deadline_at));
    if (patch.deadline_at) {
      await scheduler.schedule(tx, { kind: DEADLINE_JOB, run_at: patch.deadline_at, payload: { request_id: req.id, status: t.to, deadline_at: patch.deadline_at }, dedupe_key: deadlineKey(req.id, t.to, patch.deadline_at) });
    }
    await step(tx, req, { actor: input.actor, action: input.event, from: req.status, to: t.to, note: input.note, data: input.data });
    const moved: RequestRow = { ...req, ...patch } as RequestRow;
    if (t.to === 'refunding') await deps.onRefunding(tx, moved);
    await outbox.emit(tx, `aftersales.${t.to}`, req.id, {
      request_id: req.id, order_id: req.order_id, line_id: req.line_id, store_id: req.store_id, buyer_id: req.buyer_id, type: moved.type, from: req.status, to: t.to, event: input.event,
    });
    return moved;
  }

  return { move, step };
}
export type RequestTransitions = ReturnType<typeof createRequestTransitions>;
