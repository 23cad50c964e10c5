import type { Channel } from './trade.repo.ts';

/**
 * Where a line was sold: channel, content, creator, campaign and share chain. Filled from
 * the client's context (the content/live/share issues validate it); fields may be empty.
 */
export interface Attribution {
  channel: Channel;
  content_id: string | null;
  creator_id: string | null;
  campaign_id: string | null;
  share_chain: string[];
}

export const CHANNELS: readonly Channel[] = ['live', 'video', 'article', 'share', 'search', 'feed', 'store', 'direct'];

export const NO_ATTRIBUTION: Attribution = { channel: 'direct', content_id: null, creator_id: null, campaign_id: null, share_chain: [] };

export function normalizeAttribution(a: Partial<Attribution> | undefined | null): Attribution {
  if (!a) return NO_ATTRIBUTION;
  return {
    channel: a.channel && CHANNELS.includes(a.channel) ? a.channel : 'direct',
    content_id: a.content_id ?? null,
    creator_id: a.creator_id ?? null,
    campaign_id: a.campaign_id ?? null,
    share_chain: Array.isArray(a.share_chain) ? a.share_chain.slice(0, 10) : [],
  };
}
