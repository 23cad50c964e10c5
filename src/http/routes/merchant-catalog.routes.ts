import { Type } from 'typebox';
import type { AppContext } from '../../app/wire.ts';
import { addSku, createListing } from '../../flows/create-listing.ts';
import type { ProductStatus } from '../../modules/catalog/index.ts';
import { MerchantProductSchema, presentMerchantProduct, presentMerchantProducts, presentPricePoint, presentReview, PricePointSchema, ReviewSchema } from '../catalog.presenters.ts';
import { SkuSchema } from '../presenters.ts';
import { errors, IdParam, MoneyMinor, Page, PageQuery } from '../schemas.ts';
import type { App } from '../types.ts';

const StoreParams = IdParam('storeId', 'sto');
const StoreProductParams = Type.Intersect([StoreParams, IdParam('productId', 'prd')]);
const StoreSkuParams = Type.Intersect([StoreParams, IdParam('skuId', 'sku')]);
const Price = Type.Integer({ minimum: 1, maximum: 100_000_000_00, description: 'fen' });
const Spec = Type.Record(Type.String({ minLength: 1, maxLength: 20 }), Type.String({ minLength: 1, maxLength: 40 }), { description: 'e.g. {"颜色":"黑色","尺码":"M"}; every SKU of a product uses the same names' });
const Attributes = Type.Record(Type.String({ maxLength: 30 }), Type.String({ maxLength: 200 }));
const Images = Type.Array(Type.String({ maxLength: 500 }), { maxItems: 20, description: 'URLs from POST …/media, or https URLs' });

const SkuBody = Type.Object({
  spec: Spec, price_minor: Price,
  list_price_minor: Type.Optional(Type.Union([Price, Type.Null()], { description: 'strikethrough "original" price; must not be below the price' })),
  barcode: Type.Optional(Type.Union([Type.String({ pattern: '^\\d{8,14}$' }), Type.Null()])),
  stock: Type.Integer({ minimum: 0, maximum: 10_000_000 }),
}, { additionalProperties: false });
const ProductBody = Type.Object({
  category_id: Type.String({ pattern: '^cat_' }), title: Type.String({ minLength: 2, maxLength: 60 }), subtitle: Type.Optional(Type.String({ maxLength: 100 })),
  description: Type.Optional(Type.String({ maxLength: 20000 })), brand: Type.Optional(Type.Union([Type.String({ maxLength: 40 }), Type.Null()])),
  attributes: Type.Optional(Attributes), images: Type.Optional(Images), skus: Type.Array(SkuBody, { minItems: 1, maxItems: 200 }),
}, { additionalProperties: false });
const ProductPatchBody = Type.Object({
  title: Type.Optional(Type.String({ minLength: 2, maxLength: 60 })), subtitle: Type.Optional(Type.String({ maxLength: 100 })), description: Type.Optional(Type.String({ maxLength: 20000 })),
  brand: Type.Optional(Type.Union([Type.String({ maxLength: 40 }), Type.Null()])), attributes: Type.Optional(Attributes), images: Type.Optional(Images),
}, { additionalProperties: false, minProperties: 1 });
const StatusFilter = Type.Optional(Type.Union(['draft', 'in_review', 'live', 'rejected', 'delisted'].map((s) => Type.Literal(s))));

/**
 * Products and SKUs in the merchant assistant. Creating or editing anything buyers read
 * (text, brand, attributes, prices, SKUs) runs the listing compliance review: the response's
 * `status` and `review.findings` say whether it went live, waits for an operator, or was
 * rejected and why.
 */
export const merchantCatalogRoutes = (ctx: AppContext) => async (app: App) => {
  const tags = ['merchant catalog'];
  app.get('/stores/:storeId/products', {
    config: { permission: 'store.read' },
    schema: { tags, params: StoreParams, querystring: Type.Intersect([PageQuery, Type.Object({ status: StatusFilter })]), response: { 200: Page(MerchantProductSchema), ...errors(400, 401, 404) } },
  }, async (req) => {
    const page = await ctx.catalog.listStoreProducts(req.params.storeId, req.query as { limit?: number; cursor?: string; status?: ProductStatus });
    return { items: await presentMerchantProducts(ctx, page.items), next_cursor: page.next_cursor };
  });

  app.post('/stores/:storeId/products', {
    config: { permission: 'catalog.write' },
    schema: { tags, summary: 'List a product (reviewed at once: live, in_review or rejected with findings)', params: StoreParams, body: ProductBody, response: { 201: MerchantProductSchema, ...errors(400, 401, 403, 404, 422) } },
  }, async (req, reply) => {
    const { skus, ...rest } = req.body;
    const product = await createListing(ctx, req.params.storeId, { ...rest, skus, stock: skus.map((s) => s.stock) }, req.principal!.account_id);
    return reply.status(201).send(await presentMerchantProduct(ctx, product));
  });

  app.get('/stores/:storeId/products/:productId', { config: { permission: 'store.read' }, schema: { tags, params: StoreProductParams, response: { 200: MerchantProductSchema, ...errors(401, 404) } } }, async (req) =>
    presentMerchantProduct(ctx, await ctx.catalog.getStoreProduct(req.params.storeId, req.params.productId)));

  app.patch('/stores/:storeId/products/:productId', {
    config: { permission: 'catalog.write' },
    schema: { tags, summary: 'Edit title, description, brand, attributes or images (reviewed again, except images)', params: StoreProductParams, body: ProductPatchBody, response: { 200: MerchantProductSchema, ...errors(400, 401, 403, 404, 422) } },
  }, async (req) => presentMerchantProduct(ctx, await ctx.catalog.editProduct(req.params.storeId, req.params.productId, req.body, req.principal!.account_id)));

  app.post('/stores/:storeId/products/:productId/skus', {
    config: { permission: 'catalog.write' },
    schema: { tags, summary: 'Add a SKU with its initial stock (the product is reviewed again)', params: StoreProductParams, body: SkuBody, response: { 201: MerchantProductSchema, ...errors(400, 401, 403, 404, 422) } },
  }, async (req, reply) => {
    const { stock, ...sku } = req.body;
    const out = await addSku(ctx, req.params.storeId, req.params.productId, sku, stock, req.principal!.account_id);
    return reply.status(201).send(await presentMerchantProduct(ctx, out.product));
  });

  app.patch('/stores/:storeId/skus/:skuId', {
    config: { permission: 'catalog.write' },
    schema: { tags, summary: 'Disable or re-enable a SKU', params: StoreSkuParams, body: Type.Object({ status: Type.Union([Type.Literal('active'), Type.Literal('disabled')]) }, { additionalProperties: false }), response: { 200: MerchantProductSchema, ...errors(400, 401, 403, 404, 422) } },
  }, async (req) => presentMerchantProduct(ctx, await ctx.catalog.setSkuStatus(req.params.storeId, req.params.skuId, req.body.status, req.principal!.account_id)));

  app.patch('/stores/:storeId/skus/:skuId/price', {
    config: { permission: 'price.write' },
    schema: {
      tags, summary: 'Change a SKU price (owner and operator roles); recorded in the price history and reviewed', params: StoreSkuParams,
      body: Type.Object({ price_minor: Price, list_price_minor: Type.Optional(Type.Union([MoneyMinor, Type.Null()])) }, { additionalProperties: false }),
      response: { 200: Type.Intersect([SkuSchema, Type.Object({ product_id: Type.String(), product_status: Type.String(), review: Type.Union([ReviewSchema, Type.Null()]) })]), ...errors(400, 401, 403, 404, 422) },
    },
  }, async (req) => {
    const { sku, product } = await ctx.catalog.setSkuPrice(req.params.storeId, req.params.skuId, req.body, req.principal!.account_id);
    return { ...sku, product_status: product.status, review: product.review ? presentReview(product.review) : null };
  });

  app.post('/stores/:storeId/products/:productId/delist', {
    config: { permission: 'catalog.write' },
    schema: { tags, summary: 'Take a product off sale', params: StoreProductParams, body: Type.Optional(Type.Object({ note: Type.Optional(Type.String({ maxLength: 200 })) }, { additionalProperties: false })), response: { 200: MerchantProductSchema, ...errors(400, 401, 403, 404, 422) } },
  }, async (req) => presentMerchantProduct(ctx, await ctx.catalog.delist(req.params.storeId, req.params.productId, req.principal!.account_id, req.body?.note ?? null)));

  app.post('/stores/:storeId/products/:productId/relist', {
    config: { permission: 'catalog.write' },
    schema: { tags, summary: 'Put a delisted product back on sale (reviewed again)', params: StoreProductParams, response: { 200: MerchantProductSchema, ...errors(400, 401, 403, 404, 422) } },
  }, async (req) => presentMerchantProduct(ctx, await ctx.catalog.relist(req.params.storeId, req.params.productId, req.principal!.account_id)));

  app.get('/stores/:storeId/products/:productId/reviews', {
    config: { permission: 'store.read' },
    schema: { tags, summary: 'Review history of a product (findings, operator decisions), newest first', params: StoreProductParams, querystring: PageQuery, response: { 200: Page(ReviewSchema), ...errors(400, 401, 404) } },
  }, async (req) => {
    const page = await ctx.catalog.productReviews(req.params.storeId, req.params.productId, req.query);
    return { items: page.items.map(presentReview), next_cursor: page.next_cursor };
  });

  app.get('/stores/:storeId/skus/:skuId/price-history', {
    config: { permission: 'store.read' },
    schema: { tags, summary: 'Every price change of a SKU, newest first', params: StoreSkuParams, querystring: PageQuery, response: { 200: Page(PricePointSchema), ...errors(400, 401, 404) } },
  }, async (req) => {
    const page = await ctx.catalog.priceHistory(req.params.storeId, req.params.skuId, req.query);
    return { items: page.items.map(presentPricePoint), next_cursor: page.next_cursor };
  });
};
