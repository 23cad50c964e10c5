import { Type } from 'typebox';
import type { AppContext } from '../../app/wire.ts';
import { exportProductsCsv, importProductsCsv } from '../../flows/catalog-csv.ts';
import { exportStockCsv, importStockCsv } from '../../flows/stock-csv.ts';
import { FindingSchema, MediaSchema, presentMedia, RowErrorSchema } from '../catalog.presenters.ts';
import { errors, IdParam, Page, PageQuery } from '../schemas.ts';
import type { App } from '../types.ts';

const StoreParams = IdParam('storeId', 'sto');
const IMAGE_TYPES = ['image/jpeg', 'image/png', 'image/webp', 'image/gif', 'application/octet-stream'];
const CSV_LIMIT_BYTES = 5 * 1024 * 1024;

/**
 * Uploads and files: product images (the raw bytes as the request body — no multipart
 * dependency), and CSV import/export of products and stock. Body parsers for these content
 * types exist only inside this plugin.
 */
export const merchantCatalogFileRoutes = (ctx: AppContext) => async (app: App) => {
  const tags = ['merchant files'];
  app.addContentTypeParser(IMAGE_TYPES, { parseAs: 'buffer', bodyLimit: ctx.config.mediaMaxBytes }, (_req, body, done) => done(null, body));
  app.addContentTypeParser(['text/csv', 'text/plain'], { parseAs: 'string', bodyLimit: CSV_LIMIT_BYTES }, (_req, body, done) => done(null, body));

  app.post('/stores/:storeId/media', {
    config: { permission: 'catalog.write' },
    schema: {
      tags, summary: `Upload a product image: the raw bytes as the body (Content-Type image/jpeg, png, webp, gif or application/octet-stream; at most ${ctx.config.mediaMaxBytes} bytes). The same image twice gives the same URL (200).`,
      params: StoreParams, consumes: IMAGE_TYPES, response: { 200: MediaSchema, 201: MediaSchema, ...errors(400, 401, 403, 404) },
    },
  }, async (req, reply) => {
    const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    const { media, created } = await ctx.catalog.uploadImage(req.params.storeId, body, req.principal!.account_id);
    return reply.status(created ? 201 : 200).send(presentMedia(media));
  });

  app.get('/stores/:storeId/media', {
    config: { permission: 'store.read' },
    schema: { tags, params: StoreParams, querystring: PageQuery, response: { 200: Page(MediaSchema), ...errors(400, 401, 404) } },
  }, async (req) => {
    const page = await ctx.catalog.listMedia(req.params.storeId, req.query);
    return { items: page.items.map(presentMedia), next_cursor: page.next_cursor };
  });

  app.get('/stores/:storeId/products.csv', {
    config: { permission: 'store.read' },
    schema: { tags, summary: 'Every product and SKU as CSV (UTF-8 with BOM, one row per SKU; prices in yuan)', params: StoreParams, produces: ['text/csv'] },
  }, async (req, reply) => reply.type('text/csv; charset=utf-8').header('content-disposition', 'attachment; filename="products.csv"').send(await exportProductsCsv(ctx, req.params.storeId)));

  app.post('/stores/:storeId/products/import', {
    config: { permission: 'catalog.write' },
    schema: {
      tags, params: StoreParams, consumes: ['text/csv'],
      summary: 'Create products from a CSV (columns: product_ref, category, title, subtitle, brand, attributes, spec, price, list_price, barcode, stock). Each product is created whole or not at all; a bad row holds back only its own product. Created products are reviewed.',
      response: {
        200: Type.Object({
          rows: Type.Integer(),
          created: Type.Array(Type.Object({ product_ref: Type.String(), product_id: Type.String(), lines: Type.Array(Type.Integer()), status: Type.String(), findings: Type.Array(FindingSchema) })),
          errors: Type.Array(RowErrorSchema),
        }),
        ...errors(400, 401, 403, 404, 422),
      },
    },
  }, async (req) => importProductsCsv(ctx, req.params.storeId, String(req.body ?? ''), req.principal!.account_id));

  app.get('/stores/:storeId/stock.csv', {
    config: { permission: 'store.read' },
    schema: { tags, summary: 'Stock of every SKU as CSV; edit on_hand and upload it back', params: StoreParams, produces: ['text/csv'] },
  }, async (req, reply) => reply.type('text/csv; charset=utf-8').header('content-disposition', 'attachment; filename="stock.csv"').send(await exportStockCsv(ctx, req.params.storeId)));

  app.post('/stores/:storeId/stock/import', {
    config: { permission: 'stock.write' },
    schema: {
      tags, params: StoreParams, consumes: ['text/csv'],
      summary: 'Set on-hand counts from a CSV (sku_id or barcode, on_hand, optional note). Row by row: bad rows are reported, the others apply; re-uploading the file is safe.',
      response: {
        200: Type.Object({ rows: Type.Integer(), changed: Type.Array(Type.Object({ line: Type.Integer(), sku_id: Type.String(), on_hand: Type.Integer() })), unchanged: Type.Integer(), errors: Type.Array(RowErrorSchema) }),
        ...errors(400, 401, 403, 404, 422),
      },
    },
  }, async (req) => importStockCsv(ctx, req.params.storeId, String(req.body ?? ''), req.principal!.account_id));
};
