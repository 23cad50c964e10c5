import { invalid, notFound, rule } from '../../lib/errors.ts';
import { newId } from '../../lib/ids.ts';
import { numQuickReply, type QuickReplyRow } from './cs.repo.ts';
import type { Ctx } from './context.ts';
import { charCount } from './moderation.ts';

export interface QuickReply { id: string; store_id: string; title: string; text: string; sort: number; created_at: number; updated_at: number }
export interface QuickReplyInput { title: string; text: string; sort?: number }

const TITLE_MAX = 20;
const TEXT_MAX = 500;
const toQuickReply = (r: QuickReplyRow): QuickReply => ({ id: r.id, store_id: r.store_id, title: r.title, text: r.body, sort: r.sort, created_at: r.created_at, updated_at: r.updated_at });

/** Quick replies (快捷短语): a store's saved answers, checked like messages. */
export function createQuickReplies(ctx: Ctx) {
  const { db, clock, repo, config } = ctx;

  function check(input: Partial<QuickReplyInput>): Partial<QuickReplyInput> {
    const out: Partial<QuickReplyInput> = { ...input };
    if (input.title !== undefined) {
      out.title = input.title.trim();
      if (!out.title || charCount(out.title) > TITLE_MAX) throw invalid('invalid_title', `a title has 1–${TITLE_MAX} characters`).zh(`标题须为 1–${TITLE_MAX} 个字`);
    }
    if (input.text !== undefined) {
      out.text = input.text.trim();
      if (!out.text || charCount(out.text) > TEXT_MAX) throw invalid('invalid_text', `a quick reply has 1–${TEXT_MAX} characters`).zh(`快捷回复须为 1–${TEXT_MAX} 个字`);
    }
    const word = ctx.findBanned(`${out.title ?? ''} ${out.text ?? ''}`);
    if (word) throw rule('message_blocked', 'the quick reply contains a word that is not allowed', { word }).zh(`快捷回复包含违规内容（${word}）`);
    return out;
  }

  async function owned(storeId: string, id: string): Promise<QuickReplyRow> {
    const r = await repo.q().selectFrom('cs_quick_replies').selectAll().where('id', '=', id).where('store_id', '=', storeId).executeTakeFirst();
    if (!r) throw notFound('quick_reply', id);
    return numQuickReply(r);
  }

  return {
    async list(storeId: string): Promise<QuickReply[]> {
      const rows = await repo.q().selectFrom('cs_quick_replies').selectAll().where('store_id', '=', storeId).orderBy('sort').orderBy('id').execute();
      return rows.map((r) => toQuickReply(numQuickReply(r)));
    },

    async create(storeId: string, actorId: string, input: QuickReplyInput): Promise<QuickReply> {
      const c = check(input) as QuickReplyInput;
      return db.transaction(async (tx) => {
        const count = await repo.q(tx).selectFrom('cs_quick_replies').where('store_id', '=', storeId).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst();
        if (Number(count?.n ?? 0) >= config.maxQuickReplies) {
          throw rule('quick_reply_limit', `a store keeps at most ${config.maxQuickReplies} quick replies`, { max: config.maxQuickReplies }).zh(`快捷回复最多 ${config.maxQuickReplies} 条`);
        }
        const now = clock.now();
        const row: QuickReplyRow = { id: newId('csq'), store_id: storeId, title: c.title, body: c.text, sort: c.sort ?? 0, created_by: actorId, created_at: now, updated_at: now };
        await repo.q(tx).insertInto('cs_quick_replies').values(row).execute();
        return toQuickReply(row);
      });
    },

    async update(storeId: string, id: string, patch: Partial<QuickReplyInput>): Promise<QuickReply> {
      await owned(storeId, id);
      const c = check(patch);
      await repo.q().updateTable('cs_quick_replies')
        .set({ updated_at: clock.now(), ...(c.title !== undefined ? { title: c.title } : {}), ...(c.text !== undefined ? { body: c.text } : {}), ...(c.sort !== undefined ? { sort: c.sort } : {}) })
        .where('id', '=', id).where('store_id', '=', storeId).execute();
      return toQuickReply(await owned(storeId, id));
    },

    async remove(storeId: string, id: string): Promise<void> {
      await owned(storeId, id);
      await repo.q().deleteFrom('cs_quick_replies').where('id', '=', id).where('store_id', '=', storeId).execute();
    },
  };
}
