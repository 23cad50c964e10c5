/**
 * A campaign's phases, as data: registration (报名) → review (审核) → warm-up (预热) → selling
 * (正式售卖) → ended. Each phase starts at a time the operator sets; the durable scheduler moves
 * the stored phase at each boundary (jobs re-read the times, so an edited schedule is safe).
 */
export const PHASES = ['scheduled', 'registration', 'review', 'warmup', 'selling', 'ended'] as const;
export type Phase = (typeof PHASES)[number];

export interface PhaseTimes {
  registration_start_ms: number;
  review_start_ms: number;
  warmup_start_ms: number;
  selling_start_ms: number;
  selling_end_ms: number;
}

export const PHASE_LABELS: Record<Phase, { zh: string; en: string }> = {
  scheduled: { zh: '未开始', en: 'scheduled' },
  registration: { zh: '报名中', en: 'registration' },
  review: { zh: '审核中', en: 'review' },
  warmup: { zh: '预热中', en: 'warm-up' },
  selling: { zh: '正式售卖', en: 'selling' },
  ended: { zh: '已结束', en: 'ended' },
};

/** The phase the times say it is at `now`. */
export function phaseAt(t: PhaseTimes, now: number): Phase {
  if (now < t.registration_start_ms) return 'scheduled';
  if (now < t.review_start_ms) return 'registration';
  if (now < t.warmup_start_ms) return 'review';
  if (now < t.selling_start_ms) return 'warmup';
  if (now < t.selling_end_ms) return 'selling';
  return 'ended';
}

/** Each boundary at which the scheduler moves the phase. */
export function boundaries(t: PhaseTimes): { phase: Phase; at: number }[] {
  return [
    { phase: 'registration', at: t.registration_start_ms },
    { phase: 'review', at: t.review_start_ms },
    { phase: 'warmup', at: t.warmup_start_ms },
    { phase: 'selling', at: t.selling_start_ms },
    { phase: 'ended', at: t.selling_end_ms },
  ];
}

export interface TimeProblem { code: string; message: string; message_zh: string }

/** Times must be strictly increasing, and selling at most 31 days. */
export function timeProblems(t: PhaseTimes): TimeProblem[] {
  const order = [t.registration_start_ms, t.review_start_ms, t.warmup_start_ms, t.selling_start_ms, t.selling_end_ms];
  const out: TimeProblem[] = [];
  if (order.some((x) => !Number.isSafeInteger(x))) out.push({ code: 'invalid_time', message: 'every phase needs a time', message_zh: '每个阶段都需要设置时间' });
  else if (order.some((x, i) => i > 0 && x <= order[i - 1])) {
    out.push({ code: 'phases_out_of_order', message: 'phases must follow each other: registration < review < warm-up < selling < end', message_zh: '阶段时间须依次递增：报名 < 审核 < 预热 < 售卖 < 结束' });
  }
  if (t.selling_end_ms - t.selling_start_ms > 31 * 24 * 3_600_000) out.push({ code: 'selling_too_long', message: 'selling lasts at most 31 days', message_zh: '售卖期最长31天' });
  return out;
}

/** Who may do what in which phase. */
export const mayRegister = (p: Phase) => p === 'registration';
export const mayReview = (p: Phase) => p === 'registration' || p === 'review' || p === 'warmup';
export const mayWithdraw = (p: Phase) => p === 'scheduled' || p === 'registration' || p === 'review' || p === 'warmup';
export const mayReserve = (p: Phase) => p === 'warmup';
export const isVisible = (p: Phase) => p === 'warmup' || p === 'selling';
