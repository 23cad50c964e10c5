import type { Clock } from '../../lib/clock.ts';
import { invalid } from '../../lib/errors.ts';
import { newId } from '../../lib/ids.ts';
import type { Executor } from '../../db/index.ts';
import type { AnalyticsRepo } from './analytics.repo.ts';
import { shanghaiDay } from './days.ts';

export const CHANNELS = ['live', 'video', 'article', 'share', 'search', 'feed', 'store', 'direct'] as const;
export type Channel = (typeof CHANNELS)[number];
export const TRACK_KINDS = ['view', 'product_click', 'like', 'share', 'comment'] as const;
export type TrackKind = (typeof TRACK_KINDS)[number];

/** A paid order's lines with their attribution (trade's, copied by the subscriber). */
export interface PaidOrderFacts {
  id: string; store_id: string; buyer_id: string; status: string; paid_at: number;
  lines: { line_id: string; product_id: string; quantity: number; paid_minor: number; refunded_minor: number; channel: string; content_id: string | null; creator_id: string | null; campaign_id: string | null }[];
}

/**
 * What another module reports: someone viewed a video/article/live room/store page, clicked a
 * product, liked, shared or commented. `viewer_key` is the account id or an anonymous device id
 * (never a phone number); `dedupe_key` is the caller's event id — tracking the same event twice
 * counts it once. Pass `store_id` for anything a store's report should show (a creator's video
 * of one store's product), `creator_id` for the creator's own reports.
 */
export interface TrackInput {
  kind: TrackKind; channel: Channel; viewer_key: string; store_id?: string | null; creator_id?: string | null; content_id?: string | null;
  product_id?: string | null; at?: number; dedupe_key?: string;
}

export function createIngest(deps: { clock: Clock; repo: AnalyticsRepo }) {
  const { clock, repo } = deps;

  return {
    /** Records a view/click/… (idempotent by dedupe_key). Call it in your own transaction or on its own. */
    async track(input: TrackInput, ex?: Executor): Promise<{ recorded: boolean }> {
      if (!TRACK_KINDS.includes(input.kind)) throw invalid('unknown_track_kind', `kind must be one of ${TRACK_KINDS.join(', ')}`);
      if (!CHANNELS.includes(input.channel)) throw invalid('unknown_channel', `channel must be one of ${CHANNELS.join(', ')}`);
      if (!input.viewer_key || input.viewer_key.length > 100) throw invalid('invalid_viewer_key', 'viewer_key is required (at most 100 characters)');
      const at = input.at ?? clock.now();
      const id = newId('ane');
      const r = await repo.q(ex).insertInto('analytics_events').values({
        id, dedupe_key: input.dedupe_key ?? id, kind: input.kind, store_id: input.store_id ?? null, creator_id: input.creator_id ?? null, channel: input.channel,
        content_id: input.content_id ?? null, product_id: input.product_id ?? null, viewer_key: input.viewer_key, at, day: shanghaiDay(at),
      }).onConflict((oc) => oc.column('dedupe_key').doNothing()).executeTakeFirst();
      return { recorded: Number(r.numInsertedOrUpdatedRows ?? 0n) === 1 };
    },

    /** An order was paid: its lines become facts (once; the day is the Shanghai day of payment). */
    async recordPaidOrder(tx: Executor, o: PaidOrderFacts): Promise<void> {
      const now = clock.now();
      for (const l of o.lines) {
        await repo.q(tx).insertInto('analytics_lines').values({
          line_id: l.line_id, order_id: o.id, store_id: o.store_id, buyer_id: o.buyer_id, product_id: l.product_id, channel: l.channel, content_id: l.content_id,
          creator_id: l.creator_id, campaign_id: l.campaign_id, quantity: l.quantity, paid_minor: l.paid_minor, refunded_minor: l.refunded_minor,
          paid_at: o.paid_at, day: shanghaiDay(o.paid_at), order_status: o.status, updated_at: now,
        }).onConflict((oc) => oc.column('line_id').doNothing()).execute();
      }
    },

    /** Refunded amounts per line, as absolute values (replaying an event changes nothing). */
    async recordRefunds(tx: Executor, lines: readonly { line_id: string; refunded_minor: number }[]): Promise<void> {
      for (const l of lines) await repo.q(tx).updateTable('analytics_lines').set({ refunded_minor: l.refunded_minor, updated_at: clock.now() }).where('line_id', '=', l.line_id).execute();
    },

    async orderStatus(tx: Executor, orderId: string, status: string): Promise<void> {
      await repo.q(tx).updateTable('analytics_lines').set({ order_status: status, updated_at: clock.now() }).where('order_id', '=', orderId).execute();
    },
  };
}
