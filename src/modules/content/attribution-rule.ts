/**
 * The last-touch rule, as a pure function (the README states it for people). Inputs are
 * already looked up: the buyer's last touch of the product within the window, and the
 * client's claim after the server verified it (null when it did not verify).
 */
export type Channel = 'live' | 'video' | 'article' | 'share' | 'search' | 'feed' | 'store' | 'direct';

export interface LineAttribution {
  channel: Channel;
  content_id: string | null;
  creator_id: string | null;
  campaign_id: string | null;
  share_chain: string[];
}

export interface Touch {
  channel: Channel;
  content_id: string | null;
  creator_id: string | null;
  share_chain: string[];
  at: number;
}

/** Channels a client may name without a content id; they carry no creator and no money. */
export const LABEL_CHANNELS: ReadonlySet<Channel> = new Set(['search', 'feed', 'store']);

export function pickAttribution(claim: LineAttribution, verifiedClaim: LineAttribution | null, touch: Touch | null): LineAttribution {
  const campaign_id = claim.campaign_id;
  const fromTouch = (t: Touch): LineAttribution => ({ channel: t.channel, content_id: t.content_id, creator_id: t.creator_id, campaign_id, share_chain: [...t.share_chain] });
  if (verifiedClaim) {
    // The buyer is buying from that content now, so the claim is the latest touch; when the
    // server saw the buyer arrive at the same content (e.g. through a share link), its record
    // is richer (the share chain) and is kept.
    if (touch && touch.content_id !== null && touch.content_id === verifiedClaim.content_id) return fromTouch(touch);
    return { ...verifiedClaim, campaign_id, share_chain: [...verifiedClaim.share_chain] };
  }
  if (touch) return fromTouch(touch);
  if (LABEL_CHANNELS.has(claim.channel)) return { channel: claim.channel, content_id: null, creator_id: null, campaign_id, share_chain: [] };
  return { channel: 'direct', content_id: null, creator_id: null, campaign_id, share_chain: [] };
}

/** The last touch at or before `now` and within the window; touches must be of one buyer and product. */
export function lastTouchWithin<T extends Touch>(touches: readonly T[], now: number, windowMs: number): T | null {
  let best: T | null = null;
  for (const t of touches) {
    if (t.at > now || t.at < now - windowMs) continue;
    if (!best || t.at >= best.at) best = t;
  }
  return best;
}
