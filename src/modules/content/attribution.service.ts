import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Clock } from '../../lib/clock.ts';
import { conflict, invalid, notFound, rule } from '../../lib/errors.ts';
import { newId } from '../../lib/ids.ts';
import type { Db, Executor } from '../../db/index.ts';
import type { Outbox } from '../../db/outbox.ts';
import { LABEL_CHANNELS, pickAttribution, type Channel, type LineAttribution, type Touch } from './attribution-rule.ts';
import type { ContentConfig } from './content.config.ts';
import type { ContentRepo, ContentRow, ShareRow, TouchRow } from './content.repo.ts';

/** The live module's answer to "is this product on that room's shelf" (port; see README). */
export interface LiveRoomPort {
  verifyRoomProduct(roomId: string, productId: string): Promise<{ creator_id: string | null } | null>;
}

export interface ShareLink { token: string; path: string; content_id: string; chain: string[]; expires_at: number }
export interface ResolvedShare { content_id: string | null; attributed: boolean; share_chain: string[] }
export interface TouchInput { product_id: string; channel: Exclude<Channel, 'live' | 'direct'>; content_id?: string | null; share_token?: string | null }

const TOKEN_RE = /^[A-Za-z0-9_-]{8}[A-Za-z0-9_-]{12}$/;
const CHAIN_MAX = 10;

/**
 * Share links, touches and last-touch attribution (rule: attribution-rule.ts and README.md).
 * A share token is `<code><signature>`: an 8-character random code (the row's key) and the
 * first 12 characters of HMAC-SHA256(secret, code|content|sharer|expiry) in base64url.
 */
export function createAttribution(deps: {
  db: Db; repo: ContentRepo; clock: Clock; outbox: Outbox; config: ContentConfig; live?: LiveRoomPort;
  productsLive(ids: readonly string[]): Promise<Set<string>>;
}) {
  const { db, repo, clock, config } = deps;
  let secret: Promise<Buffer> | undefined;

  function loadSecret(): Promise<Buffer> {
    secret ??= (async () => {
      if (config.shareSecret) return Buffer.from(config.shareSecret, 'utf8');
      await repo.q().insertInto('content_secrets').values({ name: 'share_hmac', value: randomBytes(32).toString('base64'), created_at: clock.now() })
        .onConflict((oc) => oc.column('name').doNothing()).execute();
      const row = await repo.q().selectFrom('content_secrets').select('value').where('name', '=', 'share_hmac').executeTakeFirstOrThrow();
      return Buffer.from(row.value, 'base64');
    })();
    return secret;
  }
  const sign = async (code: string, contentId: string, sharerId: string, expiresAt: number) =>
    createHmac('sha256', await loadSecret()).update(`${code}|${contentId}|${sharerId}|${expiresAt}`).digest('base64url').slice(0, 12);

  /** The share row when the token is genuine (any expiry); null when unknown or forged. */
  async function verifiedShare(token: string | null | undefined, ex?: Executor): Promise<ShareRow | null> {
    if (!token || !TOKEN_RE.test(token)) return null;
    const row = await repo.share(token.slice(0, 8), ex);
    if (!row) return null;
    const expected = Buffer.from(await sign(row.code, row.content_id, row.sharer_id, Number(row.expires_at)));
    const given = Buffer.from(token.slice(8));
    return expected.length === given.length && timingSafeEqual(expected, given) ? { ...row, expires_at: Number(row.expires_at) } : null;
  }
  const live = (s: ShareRow | null) => (s && s.expires_at > clock.now() ? s : null);

  async function touchRows(buyerId: string, content: ContentRow, productIds: readonly string[], share: ShareRow | null, ex?: Executor): Promise<TouchRow[]> {
    const now = clock.now();
    const liveIds = await deps.productsLive(productIds);
    const ids = productIds.filter((p) => liveIds.has(p));
    // A plain visit to content the buyer reached through a share link keeps the share's touch.
    const skip = share ? new Set<string>() : new Set([...(await repo.lastTouches(buyerId, ids, now - config.attributionWindowMs, now, ex)).values()]
      .filter((t) => t.content_id === content.id && t.share_code !== null).map((t) => t.product_id));
    return ids.filter((p) => !skip.has(p)).map((p) => ({
      id: newId('tch'), buyer_id: buyerId, product_id: p, channel: share ? 'share' : content.kind, content_id: content.id, creator_id: content.creator_id,
      share_code: share?.code ?? null, share_chain: JSON.stringify(share ? JSON.parse(share.chain) : []), at: now,
    }));
  }

  async function publishedContent(id: string, ex?: Executor): Promise<ContentRow | null> {
    const r = await repo.content(id, ex);
    return r && r.status === 'published' ? r : null;
  }

  /** Each line's client claim, checked: null when it does not verify. */
  async function verifyClaims(lines: readonly { product_id: string; claimed: LineAttribution }[]): Promise<(LineAttribution | null)[]> {
    const contentClaims = lines.filter((l) => ['video', 'article', 'share'].includes(l.claimed.channel) && l.claimed.content_id);
    const contents = new Map((await repo.contents([...new Set(contentClaims.map((l) => l.claimed.content_id!))])).filter((c) => c.status === 'published').map((c) => [c.id, c]));
    const links = await repo.links(contentClaims.map((l) => ({ content_id: l.claimed.content_id!, product_id: l.product_id })));
    return Promise.all(lines.map(async ({ product_id, claimed }) => {
      if (claimed.channel === 'live' && claimed.content_id) {
        if (!deps.live) return { ...claimed, share_chain: [] }; // no live module wired: the room claim is taken as sent
        const ok = await deps.live.verifyRoomProduct(claimed.content_id, product_id);
        return ok ? { ...claimed, creator_id: ok.creator_id, share_chain: [] } : null;
      }
      const c = claimed.content_id ? contents.get(claimed.content_id) : undefined;
      if (!c || !links.has(`${c.id}|${product_id}`)) return null;
      // A claimed share chain cannot be checked without its link: the content's own channel.
      return { channel: c.kind, content_id: c.id, creator_id: c.creator_id, campaign_id: claimed.campaign_id, share_chain: [] };
    }));
  }

  const asTouch = (t: TouchRow): Touch => ({ channel: t.channel, content_id: t.content_id, creator_id: t.creator_id, share_chain: JSON.parse(t.share_chain), at: Number(t.at) });

  return {
    /** A signed short link to published content; its chain extends the link the sharer arrived by. */
    async createShare(contentId: string, sharerId: string, parentToken?: string | null): Promise<ShareLink> {
      const content = await publishedContent(contentId);
      if (!content) throw notFound('content', contentId);
      const now = clock.now();
      let parent = live(await verifiedShare(parentToken));
      if (parent && parent.content_id !== contentId) parent = null;
      if (!parent && !parentToken) {
        const arrived = await repo.q().selectFrom('content_touches').select('share_code').where('buyer_id', '=', sharerId).where('content_id', '=', contentId)
          .where('share_code', 'is not', null).where('at', '>=', now - config.attributionWindowMs).orderBy('at', 'desc').limit(1).executeTakeFirst();
        parent = arrived?.share_code ? live((await repo.share(arrived.share_code)) ?? null) : null;
      }
      const base: string[] = parent ? JSON.parse(parent.chain) : [];
      const chain = base[base.length - 1] === sharerId ? base : [...base.slice(0, CHAIN_MAX - 1), sharerId];
      const expiresAt = now + config.shareTtlMs;
      for (let attempt = 0; attempt < 3; attempt++) {
        const code = randomBytes(6).toString('base64url');
        const inserted = await db.transaction(async (tx) => {
          const ins = await repo.q(tx).insertInto('content_shares').values({ code, content_id: contentId, sharer_id: sharerId, parent_code: parent?.code ?? null, chain: JSON.stringify(chain), created_at: now, expires_at: expiresAt })
            .onConflict((oc) => oc.column('code').doNothing()).executeTakeFirst();
          if (Number(ins.numInsertedOrUpdatedRows ?? 0n) !== 1) return false;
          await repo.bump(tx, contentId, 'share_count', 1);
          await deps.outbox.emit(tx, 'content.shared', contentId, { content_id: contentId, code, sharer_id: sharerId, parent_code: parent?.code ?? null, chain });
          return true;
        });
        if (inserted) {
          const token = code + (await sign(code, contentId, sharerId, expiresAt));
          return { token, path: `/s/${token}`, content_id: contentId, chain, expires_at: expiresAt };
        }
      }
      throw conflict('share_code_collision', 'could not allocate a share code; try again');
    },

    /**
     * Opening a share link. Never fails: a forged or unknown token gives no content and no
     * attribution; an expired one gives the content without attribution. A signed-in viewer
     * (other than the sharer) gets a share touch for each linked live product.
     */
    async resolveShare(token: string, viewerId: string | null): Promise<ResolvedShare> {
      const row = await verifiedShare(token);
      if (!row) return { content_id: null, attributed: false, share_chain: [] };
      const content = await publishedContent(row.content_id);
      if (!content) return { content_id: null, attributed: false, share_chain: [] };
      const share = live(row);
      if (!share) return { content_id: content.id, attributed: false, share_chain: [] };
      if (viewerId && viewerId !== share.sharer_id) {
        const rows = await touchRows(viewerId, content, JSON.parse(content.product_ids), share);
        await db.transaction((tx) => repo.insertTouches(tx, rows));
      }
      return { content_id: content.id, attributed: viewerId !== null && viewerId !== share.sharer_id, share_chain: JSON.parse(share.chain) };
    },

    /** Touches for a signed-in viewer who opened content (called by the feed). */
    async contentOpened(viewerId: string, content: ContentRow): Promise<void> {
      const rows = await touchRows(viewerId, content, JSON.parse(content.product_ids), null);
      if (rows.length) await db.transaction((tx) => repo.insertTouches(tx, rows));
    },

    /**
     * A signed-in buyer opened a product from somewhere: from content or a share link (checked:
     * the content must be published and link the product; an invalid share token records
     * nothing) or from a store page, search or the feed (no content, no creator).
     */
    async recordTouch(buyerId: string, input: TouchInput): Promise<{ recorded: boolean }> {
      const now = clock.now();
      if (LABEL_CHANNELS.has(input.channel)) {
        if (!(await deps.productsLive([input.product_id])).has(input.product_id)) throw notFound('product', input.product_id);
        await db.transaction((tx) => repo.insertTouches(tx, [{ id: newId('tch'), buyer_id: buyerId, product_id: input.product_id, channel: input.channel, content_id: null, creator_id: null, share_code: null, share_chain: '[]', at: now }]));
        return { recorded: true };
      }
      let share: ShareRow | null = null;
      let contentId = input.content_id ?? null;
      if (input.channel === 'share') {
        share = live(await verifiedShare(input.share_token));
        if (!share || share.sharer_id === buyerId) return { recorded: false };
        contentId = share.content_id;
      }
      if (!contentId) throw invalid('content_required', 'give content_id (or share_token for the share channel)');
      const content = await publishedContent(contentId);
      if (!content || (!share && content.kind !== input.channel)) return { recorded: false };
      if (!(await repo.links([{ content_id: content.id, product_id: input.product_id }])).size) throw rule('product_not_linked', 'the content does not link this product', { product_id: input.product_id });
      const rows = await touchRows(buyerId, content, [input.product_id], share);
      if (rows.length) await db.transaction((tx) => repo.insertTouches(tx, rows));
      return { recorded: rows.length > 0 };
    },

    /** Per product: the buyer's last touch within the window ending at `now`. */
    async resolveAttribution(buyerId: string, productIds: readonly string[], now: number = clock.now()): Promise<Map<string, Touch>> {
      const rows = await repo.lastTouches(buyerId, productIds, now - config.attributionWindowMs, now);
      return new Map([...rows].map(([p, t]) => [p, asTouch(t)]));
    },

    /** Checkout's attribution port: one attribution per line, from touches and verified claims. */
    async attributeLines(buyerId: string, lines: readonly { product_id: string; claimed: LineAttribution }[]): Promise<LineAttribution[]> {
      const now = clock.now();
      const [touches, verified] = await Promise.all([
        repo.lastTouches(buyerId, lines.map((l) => l.product_id), now - config.attributionWindowMs, now),
        verifyClaims(lines),
      ]);
      return lines.map((l, i) => {
        const t = touches.get(l.product_id);
        return pickAttribution(l.claimed, verified[i], t ? asTouch(t) : null);
      });
    },
  };
}
