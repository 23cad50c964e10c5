import { Type } from 'typebox';
import { toIso } from '../../lib/clock.ts';
import type { AppContext } from '../../app/wire.ts';
import { SORTS, type SearchResult } from '../../modules/search/index.ts';
import { errors, MoneyMinor, Timestamp } from '../schemas.ts';
import type { App } from '../types.ts';

const SearchQuery = Type.Object({
  q: Type.Optional(Type.String({ maxLength: 100, description: 'words in Chinese and/or English; empty: browse with filters only' })),
  category_id: Type.Optional(Type.String({ pattern: '^cat_', description: 'this category and everything under it' })),
  brand: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 100 }), { maxItems: 20, description: 'any of these brands (repeat the parameter); case-insensitive' })),
  store_id: Type.Optional(Type.String({ pattern: '^sto_' })),
  price_min: Type.Optional(MoneyMinor),
  price_max: Type.Optional(MoneyMinor),
  in_stock: Type.Optional(Type.Boolean({ description: 'true: only products with stock; false: only sold-out ones' })),
  sort: Type.Optional(Type.Union(SORTS.map((s) => Type.Literal(s)), { default: 'relevance' })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 20 })),
  cursor: Type.Optional(Type.String({ maxLength: 300 })),
  facets: Type.Optional(Type.Boolean({ default: true, description: 'count categories, brands and price buckets over all matches' })),
});

const SearchItem = Type.Object({
  id: Type.String(),
  title: Type.String(),
  title_highlight: Type.String({ description: 'the title HTML-escaped, matched words in <em>…</em>' }),
  brand: Type.Union([Type.String(), Type.Null()]),
  store_id: Type.String(),
  category_id: Type.String(),
  image_url: Type.Union([Type.String(), Type.Null()]),
  price: Type.Object({ min_minor: MoneyMinor, max_minor: MoneyMinor, currency: Type.Literal('CNY') }, { description: 'range over the active SKUs' }),
  in_stock: Type.Boolean(),
  sales: Type.Integer(),
  created_at: Timestamp,
});

const SearchResponse = Type.Object({
  items: Type.Array(SearchItem),
  next_cursor: Type.Union([Type.String(), Type.Null()]),
  total: Type.Integer({ description: 'matches in all pages' }),
  relaxed: Type.Boolean({ description: 'no product had every word, so these match some of them' }),
  terms: Type.Array(Type.String(), { description: 'index terms the query used (after segmentation and synonyms)' }),
  facets: Type.Union([
    Type.Object({
      categories: Type.Array(Type.Object({ id: Type.String(), name: Type.String(), parent_id: Type.Union([Type.String(), Type.Null()]), count: Type.Integer() })),
      brands: Type.Array(Type.Object({ name: Type.String(), count: Type.Integer() })),
      price: Type.Array(Type.Object({ min_minor: MoneyMinor, max_minor: Type.Union([MoneyMinor, Type.Null()]), count: Type.Integer() })),
    }),
    Type.Null(),
  ]),
});

const present = (r: SearchResult) => ({
  ...r,
  items: r.items.map(({ price_min_minor, price_max_minor, currency, created_at, ...rest }) => ({
    ...rest,
    price: { min_minor: price_min_minor, max_minor: price_max_minor, currency },
    created_at: toIso(created_at)!,
  })),
});

/** Product search for everyone (buyers need not sign in). */
export const searchRoutes = (ctx: AppContext) => async (app: App) => {
  app.get('/search/products', {
    config: { auth: 'public' },
    schema: {
      tags: ['search'],
      summary: 'Search live products',
      description: 'Every word must match (synonyms count); when no product has them all, products with some of them are returned and `relaxed` is true. Out-of-stock products are included but ranked lower; filter with in_stock=true.',
      querystring: SearchQuery,
      response: { 200: SearchResponse, ...errors(400) },
    },
  }, async (req) => present(await ctx.search.search(req.query)));
};
