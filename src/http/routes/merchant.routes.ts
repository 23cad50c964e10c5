import { Type } from 'typebox';
import type { AppContext } from '../../app/wire.ts';
import { notFound } from '../../lib/errors.ts';
import { presentStore, StoreSchema } from '../presenters.ts';
import { errors, IdParam } from '../schemas.ts';
import type { App } from '../types.ts';

const StoreParams = IdParam('storeId', 'sto');
const StaffRole = Type.Union([Type.Literal('owner'), Type.Literal('operator'), Type.Literal('customer_service')]);
const StaffSchema = Type.Object({ account_id: Type.String(), display_name: Type.String(), phone_masked: Type.String(), role: Type.String() });

/**
 * The merchant assistant's API. Every route under /stores/:storeId checks membership (404 for
 * other stores) and the route's permission (403 when the staff role may not do it).
 */
export const merchantRoutes = (ctx: AppContext) => async (app: App) => {
  app.get('/stores', { schema: { tags: ['merchant'], summary: 'Stores I work in', response: { 200: Type.Object({ items: Type.Array(Type.Intersect([StoreSchema, Type.Object({ my_role: Type.String() })])) }), ...errors(401) } } }, async (req) => {
    const staff = req.principal!.staff;
    const stores = await ctx.stores.getStores([...staff.keys()]);
    return { items: [...stores.values()].map((s) => ({ ...presentStore(s), my_role: staff.get(s.id)! })) };
  });

  app.get('/stores/:storeId', { config: { permission: 'store.read' }, schema: { tags: ['merchant'], params: StoreParams, response: { 200: StoreSchema, ...errors(401, 404) } } }, async (req) =>
    presentStore(await ctx.stores.getStore(req.params.storeId)));

  app.patch('/stores/:storeId', {
    config: { permission: 'store.manage' },
    schema: { tags: ['merchant'], params: StoreParams, body: Type.Object({ description: Type.Optional(Type.String({ maxLength: 500 })), logo_url: Type.Optional(Type.Union([Type.String({ maxLength: 500 }), Type.Null()])) }, { additionalProperties: false }), response: { 200: StoreSchema, ...errors(400, 401, 403, 404) } },
  }, async (req) => presentStore(await ctx.stores.updateProfile(req.params.storeId, req.body)));

  app.get('/stores/:storeId/staff', { config: { permission: 'store.read' }, schema: { tags: ['merchant'], params: StoreParams, response: { 200: Type.Object({ items: Type.Array(StaffSchema) }), ...errors(401, 404) } } }, async (req) => ({
    items: await ctx.identity.listStaff(req.params.storeId),
  }));

  app.post('/stores/:storeId/staff', {
    config: { permission: 'staff.manage' },
    schema: { tags: ['merchant'], summary: 'Add a staff member by phone (they must have an account)', params: StoreParams, body: Type.Object({ phone: Type.String({ minLength: 11, maxLength: 16 }), role: StaffRole }, { additionalProperties: false }), response: { 201: Type.Object({ items: Type.Array(StaffSchema) }), ...errors(400, 401, 403, 404, 422) } },
  }, async (req, reply) => {
    const accountId = await ctx.identity.accountIdByPhone(req.body.phone);
    if (!accountId) throw notFound('account');
    await ctx.identity.addStaff(ctx.db.kysely, req.params.storeId, accountId, req.body.role);
    return reply.status(201).send({ items: await ctx.identity.listStaff(req.params.storeId) });
  });

  app.delete('/stores/:storeId/staff/:accountId', {
    config: { permission: 'staff.manage' },
    schema: { tags: ['merchant'], params: Type.Intersect([StoreParams, IdParam('accountId', 'acc')]), response: { 204: Type.Null(), ...errors(401, 403, 404, 422) } },
  }, async (req, reply) => {
    await ctx.identity.removeStaff(req.params.storeId, req.params.accountId);
    return reply.status(204).send(null);
  });

  // Products, SKUs, stock, media and CSV files: merchant-catalog.routes.ts, merchant-inventory.routes.ts, merchant-catalog-files.routes.ts.
};
