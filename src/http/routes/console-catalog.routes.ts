import { Type } from 'typebox';
import type { AppContext } from '../../app/wire.ts';
import type { ReviewStatus } from '../../modules/catalog/index.ts';
import { MerchantProductSchema, presentMerchantProduct, presentReview, ReviewSchema } from '../catalog.presenters.ts';
import { errors, IdParam, Page, PageQuery } from '../schemas.ts';
import type { App } from '../types.ts';

const ReviewParams = IdParam('reviewId', 'rev');
const ReviewStatusQ = Type.Union(['pending', 'passed', 'rejected_auto', 'approved', 'rejected', 'superseded', 'withdrawn'].map((s) => Type.Literal(s)));
const Attribute = Type.Object({ key: Type.String({ minLength: 1, maxLength: 30 }), label_zh: Type.String({ minLength: 1, maxLength: 30 }), type: Type.Union([Type.Literal('text'), Type.Literal('enum'), Type.Literal('number')]), options: Type.Optional(Type.Array(Type.String({ maxLength: 40 }), { maxItems: 200 })) }, { additionalProperties: false });
const CategoryRules = {
  name_zh: Type.String({ minLength: 1, maxLength: 30 }), name_en: Type.String({ minLength: 1, maxLength: 60 }),
  fee_rate_bp: Type.Integer({ minimum: 0, maximum: 10000, description: 'technical service fee in basis points; leaves use a tier: 100, 200, 250, 300, 400, 500' }),
  deposit_minor: Type.Integer({ minimum: 0, maximum: 100_000_000_00 }), required_attributes: Type.Array(Attribute, { maxItems: 50 }),
  required_qualifications: Type.Array(Type.String({ maxLength: 60 }), { maxItems: 20 }), no_reason_return_7d: Type.Boolean(), shipping_insurance: Type.Boolean(),
  allows_efficacy_claims: Type.Optional(Type.Boolean()),
};
const CategorySchema = Type.Object({ id: Type.String(), parent_id: Type.Union([Type.String(), Type.Null()]), code: Type.String(), is_leaf: Type.Boolean(), ...CategoryRules, required_attributes: Type.Array(Type.Unknown()) });
const QueueItem = Type.Intersect([ReviewSchema, Type.Object({ product: MerchantProductSchema })]);

/** Platform operators: the listing review queue and the category tree with its rules. */
export const consoleCatalogRoutes = (ctx: AppContext) => async (app: App) => {
  const tags = ['console catalog'];
  const withProduct = async (r: Awaited<ReturnType<typeof ctx.catalog.getReview>>) => ({ ...presentReview(r), product: await presentMerchantProduct(ctx, await ctx.catalog.getStoreProduct(r.store_id, r.product_id)) });

  app.get('/product-reviews', {
    config: { auth: 'operator' },
    schema: {
      tags, summary: 'Listing reviews — by default the queue of doubtful listings waiting for a decision, oldest first, with the automatic findings',
      querystring: Type.Intersect([PageQuery, Type.Object({ status: Type.Optional(ReviewStatusQ), store_id: Type.Optional(Type.String({ pattern: '^sto_' })) })]),
      response: { 200: Page(QueueItem), ...errors(400, 401, 403) },
    },
  }, async (req) => {
    const page = await ctx.catalog.listReviews(req.query as { status?: ReviewStatus; store_id?: string; limit?: number; cursor?: string });
    return { items: await Promise.all(page.items.map(withProduct)), next_cursor: page.next_cursor };
  });

  app.get('/product-reviews/:reviewId', { config: { auth: 'operator' }, schema: { tags, params: ReviewParams, response: { 200: QueueItem, ...errors(401, 403, 404) } } }, async (req) =>
    withProduct(await ctx.catalog.getReview(req.params.reviewId)));

  app.post('/product-reviews/:reviewId/approve', {
    config: { auth: 'operator' },
    schema: { tags, summary: 'Approve: the product goes live (recorded with who and when)', params: ReviewParams, body: Type.Optional(Type.Object({ note: Type.Optional(Type.String({ maxLength: 500 })) }, { additionalProperties: false })), response: { 200: QueueItem, ...errors(400, 401, 403, 404, 409) } },
  }, async (req) => withProduct(await ctx.catalog.approveReview(req.params.reviewId, req.principal!.account_id, req.body?.note ?? null)));

  app.post('/product-reviews/:reviewId/reject', {
    config: { auth: 'operator' },
    schema: { tags, summary: 'Reject with a reason the merchant sees', params: ReviewParams, body: Type.Object({ reason: Type.String({ minLength: 2, maxLength: 500 }) }, { additionalProperties: false }), response: { 200: QueueItem, ...errors(400, 401, 403, 404, 409) } },
  }, async (req) => withProduct(await ctx.catalog.rejectReview(req.params.reviewId, req.principal!.account_id, req.body.reason)));

  app.post('/categories', {
    config: { auth: 'operator' },
    schema: {
      tags, summary: 'Add a category; products are listed in leaves only', body: Type.Object({ parent_id: Type.Union([Type.String({ pattern: '^cat_' }), Type.Null()]), code: Type.String({ minLength: 2, maxLength: 60 }), is_leaf: Type.Boolean(), ...CategoryRules }, { additionalProperties: false }),
      response: { 201: CategorySchema, ...errors(400, 401, 403, 404, 409, 422) },
    },
  }, async (req, reply) => reply.status(201).send(await ctx.db.transaction((tx) => ctx.catalog.createCategory(tx, req.body))));

  app.patch('/categories/:categoryId', {
    config: { auth: 'operator' },
    schema: { tags, summary: "Change a category's rules (fee tier, deposit, attributes, qualifications, return policies)", params: IdParam('categoryId', 'cat'), body: Type.Partial(Type.Object(CategoryRules), { additionalProperties: false, minProperties: 1 }), response: { 200: CategorySchema, ...errors(400, 401, 403, 404, 422) } },
  }, async (req) => ctx.catalog.updateCategory(req.params.categoryId, req.body));
};
