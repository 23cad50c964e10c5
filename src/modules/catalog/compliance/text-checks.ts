/**
 * Checks over every piece of merchant-written text: title, subtitle, description (HTML
 * stripped), attribute values and SKU spec values. Each word-list check is the same code with
 * different data; contact details use patterns because they are shapes, not words.
 */
import type { Finding, FindingCode, ListingInput, Severity, TextSpan } from './compliance.types.ts';
import { normalizeForMatch, originalSpan, stripHtmlMapped, type MappedText } from './normalize.ts';
import { findWords, groupByWord, toSpan, type CompiledWordList } from './phrase-match.ts';

export interface TextField {
  /** Finding path, e.g. 'description', 'attributes.材质', 'skus[1].spec.颜色'. */
  readonly field: string;
  /** The value as submitted; all offsets point into it. */
  readonly original: string;
  /** NFKC, lower-case, separators removed: for word lists. */
  readonly tight: MappedText;
  /** NFKC, lower-case, separators kept: for contact patterns. */
  readonly loose: MappedText;
}

export function textField(field: string, original: string, html = false): TextField {
  const base = html ? stripHtmlMapped(original) : original;
  return {
    field,
    original,
    tight: normalizeForMatch(base),
    loose: normalizeForMatch(base, { dropSeparators: false }),
  };
}

export function collectTextFields(input: ListingInput): TextField[] {
  const fields = [textField('title', input.title)];
  if (input.subtitle) fields.push(textField('subtitle', input.subtitle));
  fields.push(textField('description', input.description, true));
  for (const [key, value] of Object.entries(input.attributes)) fields.push(textField(`attributes.${key}`, value));
  input.skus.forEach((sku, i) => {
    for (const [key, value] of Object.entries(sku.spec)) fields.push(textField(`skus[${i}].spec.${key}`, value));
  });
  return fields;
}

export interface WordCheckSpec {
  readonly code: FindingCode;
  readonly severity: Severity;
  readonly message: (word: string) => string;
  readonly message_zh: (word: string) => string;
}

/** One finding per (field, word), listing every occurrence. */
export function checkWordList(fields: readonly TextField[], list: CompiledWordList, spec: WordCheckSpec): Finding[] {
  const findings: Finding[] = [];
  for (const f of fields) {
    for (const [word, hits] of groupByWord(findWords(f.original, f.tight, list))) {
      findings.push({
        code: spec.code,
        severity: spec.severity,
        field: f.field,
        message: spec.message(word),
        message_zh: spec.message_zh(word),
        details: { word, matches: hits.map(toSpan) },
      });
    }
  }
  return findings;
}

export const ABSOLUTE_CLAIM_CHECK: WordCheckSpec = {
  code: 'absolute_claim',
  severity: 'block',
  message: (w) => `Absolute claim "${w}" is banned by the Advertising Law (art. 9)`,
  message_zh: (w) => `含有广告法禁用的极限用语「${w}」`,
};

export const MEDICAL_CLAIM_CHECK: WordCheckSpec = {
  code: 'medical_claim',
  severity: 'review',
  message: (w) => `Medical or efficacy claim "${w}" in a non-medical category`,
  message_zh: (w) => `非医疗类目含有医疗功效用语「${w}」`,
};

export const PROHIBITED_ITEM_CHECK: WordCheckSpec = {
  code: 'prohibited_item',
  severity: 'block',
  message: (w) => `Mentions a prohibited item: "${w}"`,
  message_zh: (w) => `涉及禁售商品「${w}」`,
};

export const COUNTERFEIT_HINT_CHECK: WordCheckSpec = {
  code: 'counterfeit_hint',
  severity: 'block',
  message: (w) => `Counterfeit wording "${w}"`,
  message_zh: (w) => `含有疑似假冒商品用语「${w}」`,
};

// ---------------------------------------------------------------------------------------------
// Contact details (off-platform trading)

export type ContactKind = 'mobile_phone' | 'landline_phone' | 'messaging_id' | 'solicitation' | 'url' | 'email';

interface ContactPattern {
  readonly kind: ContactKind;
  readonly re: RegExp;
  /** Extra test on the match; false drops it. */
  readonly accept?: (m: RegExpExecArray) => boolean;
}

/**
 * Patterns over NFKC, lower-cased text with separators kept. Merchants control this text, so
 * every pattern must stay linear: bounded repeats, no two adjacent `\s*` that can split one run.
 */
export const CONTACT_PATTERNS: readonly ContactPattern[] = [
  // 11-digit mobile, digits optionally split by one space/hyphen each ("138 0013 8000").
  // The look-arounds skip the same separators so a run of sizes "150 160 170 180" never matches.
  { kind: 'mobile_phone', re: /(?<!\d[\s-]?)(?:\+?86[\s-]?)?1[\s-]?[3-9](?:[\s-]?\d){9}(?![\s-]?\d)/g },
  // Landlines need an area-code separator so bare product codes do not match; 400/800 hotlines.
  {
    kind: 'landline_phone',
    re: /(?<!\d)(?:0\d{2,3}[\s-]\d{7,8}|\(0\d{2,3}\)\s?\d{7,8}|[48]00[\s-]?\d{3}[\s-]?\d{4})(?!\d)/g,
  },
  // "微信号: shop_88", "vx abc123", "qq 12345678". Letter-only ids need an explicit 号/id/colon,
  // otherwise "wechat payment" would read as an id.
  {
    kind: 'messaging_id',
    re: /(?<![a-z0-9])(?:微信|威信|薇信|v信|vx|wx|weixin|wechat|qq|扣扣)(号|id)?\s*(?:([:：])\s*)?([a-z][a-z0-9_-]{5,19}|\d{5,12})(?![a-z0-9_-])/g,
    accept: (m) => /[0-9_-]/.test(m[3]) || m[1] !== undefined || m[2] !== undefined,
  },
  // "加V", "+vx", "加微信", "加微：abc123" (id included in the span) — not "加vip", "添加微量元素", "加Q弹".
  {
    kind: 'solicitation',
    re: /(?:(?:加|\+)\s*(?:vx|wx|v|qq)(?![a-z0-9])|(?:加|\+)\s*(?:微信?|扣扣)(?!\p{Script=Han})|加\s*微信)(?:\s*(?:[:：]\s*)?(?:[a-z][a-z0-9_-]{5,19}|\d{5,12})(?![a-z0-9_-]))?/gu,
  },
  { kind: 'email', re: /[a-z0-9._%+-]{1,64}@[a-z0-9-]{1,63}(?:\.[a-z0-9-]{1,63})+/g },
  {
    kind: 'url',
    re: /https?:\/\/[^\s<>"']+|www\.[^\s<>"']+|(?<![a-z0-9@.-])[a-z0-9-]{1,63}(?:\.[a-z0-9-]{1,63})*\.(?:com|cn|net|org|top|xyz|cc|vip|shop|me|io)(?![a-z0-9])/g,
  },
];

const CONTACT_KIND_ZH: Readonly<Record<ContactKind, string>> = {
  mobile_phone: '手机号',
  landline_phone: '电话号码',
  messaging_id: '微信/QQ号',
  solicitation: '引导添加微信/QQ',
  url: '网址',
  email: '邮箱',
};

export function findContacts(f: TextField): Array<TextSpan & { kind: ContactKind }> {
  const candidates: Array<{ kind: ContactKind; from: number; to: number }> = [];
  for (const p of CONTACT_PATTERNS) {
    for (const m of f.loose.text.matchAll(p.re)) {
      if (m[0].length === 0 || (p.accept && !p.accept(m as RegExpExecArray))) continue;
      candidates.push({ kind: p.kind, from: m.index, to: m.index + m[0].length });
    }
  }
  // One span, one finding: an e-mail also looks like a URL, "+vx：id" also holds "vx：id".
  // The longest wins; the sort is stable, so on a tie the earlier pattern wins.
  const kept: typeof candidates = [];
  for (const c of [...candidates].sort((a, b) => (b.to - b.from) - (a.to - a.from))) {
    if (!kept.some((o) => o.from < c.to && c.from < o.to)) kept.push(c);
  }
  return kept
    .sort((a, b) => a.from - b.from)
    .map(({ kind, from, to }) => {
      const { start, end } = originalSpan(f.loose, from, to);
      return { kind, start, end, text: f.original.slice(start, end) };
    });
}

export function checkContactInfo(fields: readonly TextField[]): Finding[] {
  const findings: Finding[] = [];
  for (const f of fields) {
    for (const c of findContacts(f)) {
      findings.push({
        code: 'contact_info',
        severity: 'block',
        field: f.field,
        message: `Contact details (${c.kind.replace('_', ' ')}) lead buyers off the platform`,
        message_zh: `含有站外联系方式（${CONTACT_KIND_ZH[c.kind]}），涉嫌引导站外交易`,
        details: { kind: c.kind, matches: [{ start: c.start, end: c.end, text: c.text }] },
      });
    }
  }
  return findings;
}
