/**
 * A catalog product (with its category path and stock) as a search document: the denormalised
 * row the search module keeps, and its postings with the per-field term frequencies packed
 * into one integer (FIELDS order, 6 bits each; BM25 saturates long before tf 63).
 */
import { createHash } from 'node:crypto';
import { analyze } from './text/analyzer.ts';
import { compact } from './text/normalize.ts';
import { FIELDS, indexDocument, type DocumentText, type Field, type FieldTf } from './text/document.ts';

export const TF_BITS = 6;
const TF_MAX = (1 << TF_BITS) - 1;

export function packTfs(tf: FieldTf): number {
  let packed = 0;
  FIELDS.forEach((f, i) => {
    const n = Math.min(tf[f] ?? 0, TF_MAX);
    packed += n * 2 ** (TF_BITS * i);
  });
  return packed;
}

export function unpackTfs(packed: number): FieldTf {
  const out: FieldTf = {};
  FIELDS.forEach((f, i) => {
    const n = Math.floor(packed / 2 ** (TF_BITS * i)) & TF_MAX;
    if (n > 0) out[f] = n;
  });
  return out;
}

/** What the indexer needs of a product; shaped like catalog's Product so it is passed as is. */
export interface SourceProduct {
  id: string;
  store_id: string;
  category_id: string;
  title: string;
  subtitle: string;
  description: string;
  brand: string | null;
  attributes: Record<string, string>;
  images: string[];
  status: string;
  sales: number;
  created_at: number;
  skus: { id: string; spec: Record<string, string>; price_minor: number; status: string }[];
}

export interface SourceCategory {
  id: string;
  parent_id: string | null;
  name_zh: string;
  name_en: string;
}

/** One search document, everything but the numbering (doc_no, seq) the repository assigns. */
export interface SearchDoc {
  product_id: string;
  store_id: string;
  category_id: string;
  /** Root → leaf: [id, name_zh]. */
  category_path: [string, string][];
  title: string;
  title_compact: string;
  /** The title's index terms with their UTF-16 offsets: highlighting reads these instead of re-analysing. */
  title_spans: [string, number, number][];
  brand: string | null;
  image_url: string | null;
  status: string;
  visible: boolean;
  in_stock: boolean;
  price_min_minor: number | null;
  price_max_minor: number | null;
  sales: number;
  created_at: number;
  lengths: Record<Field, number>;
  /** [term, packed tfs]; empty when the document is not visible. */
  postings: [string, number][];
  sku_ids: string[];
  content_hash: string;
}

export function categoryPath(categoryId: string, byId: ReadonlyMap<string, SourceCategory>): SourceCategory[] {
  const path: SourceCategory[] = [];
  const seen = new Set<string>();
  for (let c = byId.get(categoryId); c !== undefined && !seen.has(c.id); c = c.parent_id ? byId.get(c.parent_id) : undefined) {
    seen.add(c.id);
    path.unshift(c);
  }
  return path;
}

/**
 * Visible = live with at least one active SKU (nothing to buy otherwise). Price = the active
 * SKUs' range. In stock = some active SKU has stock available (on hand minus reserved).
 */
export function buildSearchDoc(p: SourceProduct, categories: ReadonlyMap<string, SourceCategory>, available: ReadonlyMap<string, number>): SearchDoc {
  const active = p.skus.filter((s) => s.status === 'active');
  const prices = active.map((s) => s.price_minor);
  const visible = p.status === 'live' && active.length > 0;
  const path = categoryPath(p.category_id, categories);
  const specValues = [...new Set(active.flatMap((s) => Object.values(s.spec)))];
  const text: DocumentText = {
    title: p.title,
    brand: p.brand ?? undefined,
    category: path.flatMap((c) => [c.name_zh, c.name_en]).join(' '),
    attributes: [...Object.entries(p.attributes).flat(), ...specValues].join(' '),
    description: [p.subtitle, p.description].filter(Boolean).join(' '),
  };
  const indexed = visible ? indexDocument(text) : { postings: [], lengths: {} };
  const byTerm = new Map<string, FieldTf>();
  for (const { term, field, tf } of indexed.postings) {
    let t = byTerm.get(term);
    if (t === undefined) byTerm.set(term, (t = {}));
    t[field] = (t[field] ?? 0) + tf;
  }
  const postings = [...byTerm].map(([term, tf]) => [term, packTfs(tf)] as [string, number]).sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  const lengths = Object.fromEntries(FIELDS.map((f) => [f, indexed.lengths[f] ?? 0])) as Record<Field, number>;
  const doc: Omit<SearchDoc, 'content_hash'> = {
    product_id: p.id,
    store_id: p.store_id,
    category_id: p.category_id,
    category_path: path.map((c) => [c.id, c.name_zh]),
    title: p.title,
    title_compact: compact(p.title),
    title_spans: visible ? analyze(p.title, 'index').map((t) => [t.term, t.start, t.end] as [string, number, number]) : [],
    brand: p.brand,
    image_url: p.images[0] ?? null,
    status: p.status,
    visible,
    in_stock: active.some((s) => (available.get(s.id) ?? 0) > 0),
    price_min_minor: prices.length ? Math.min(...prices) : null,
    price_max_minor: prices.length ? Math.max(...prices) : null,
    sales: p.sales,
    created_at: p.created_at,
    lengths,
    postings,
    sku_ids: p.skus.map((s) => s.id).sort(),
  };
  return { ...doc, content_hash: createHash('sha1').update(JSON.stringify(doc)).digest('base64url') };
}

/** A product that no longer exists: kept as an invisible row so its number and history stay. */
export function deletedDoc(productId: string, previous: { store_id: string; category_id: string; title: string; created_at: number }): SearchDoc {
  const lengths = Object.fromEntries(FIELDS.map((f) => [f, 0])) as Record<Field, number>;
  return {
    product_id: productId, store_id: previous.store_id, category_id: previous.category_id, category_path: [], title: previous.title, title_compact: compact(previous.title), title_spans: [],
    brand: null, image_url: null, status: 'deleted', visible: false, in_stock: false, price_min_minor: null, price_max_minor: null, sales: 0,
    created_at: previous.created_at, lengths, postings: [], sku_ids: [], content_hash: 'deleted',
  };
}
