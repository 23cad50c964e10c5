import { Type } from 'typebox';
import type { AppContext } from '../../app/wire.ts';
import { toIso } from '../../lib/clock.ts';
import { AddressSchema, presentAddress } from '../presenters.ts';
import { errors, IdParam, Page, PageQuery, Timestamp } from '../schemas.ts';
import type { App } from '../types.ts';

const AddressBody = Type.Object({
  recipient: Type.String({ minLength: 1, maxLength: 30 }), phone: Type.String({ minLength: 11, maxLength: 16 }),
  province: Type.String({ minLength: 2, maxLength: 20 }), city: Type.String({ minLength: 1, maxLength: 30 }), district: Type.String({ minLength: 1, maxLength: 30 }),
  detail: Type.String({ minLength: 2, maxLength: 120 }), postal_code: Type.Optional(Type.Union([Type.String({ pattern: '^\\d{6}$' }), Type.Null()])), is_default: Type.Optional(Type.Boolean()),
}, { additionalProperties: false });

/** The signed-in user's own data: profile and address book. Another user's ids are 404. */
export const buyerRoutes = (ctx: AppContext) => async (app: App) => {
  app.get('', {
    schema: {
      tags: ['me'], summary: 'The signed-in account',
      response: { 200: Type.Object({ id: Type.String(), phone: Type.String(), display_name: Type.String(), roles: Type.Array(Type.String()), stores: Type.Array(Type.Object({ store_id: Type.String(), role: Type.String() })), created_at: Timestamp }), ...errors(401) },
    },
  }, async (req) => {
    const p = req.principal!;
    const a = await ctx.identity.getAccountBasics(p.account_id);
    return {
      id: a.id, phone: a.phone, display_name: a.display_name, roles: [...p.roles].sort(),
      stores: [...p.staff].map(([store_id, role]) => ({ store_id, role })), created_at: toIso(a.created_at)!,
    };
  });

  app.get('/addresses', { schema: { tags: ['me'], querystring: PageQuery, response: { 200: Page(AddressSchema), ...errors(400, 401) } } }, async (req) => {
    const page = await ctx.identity.listAddresses(req.principal!.account_id, req.query);
    return { items: page.items.map(presentAddress), next_cursor: page.next_cursor };
  });
  app.post('/addresses', { schema: { tags: ['me'], body: AddressBody, response: { 201: AddressSchema, ...errors(400, 401, 409, 422) } } }, async (req, reply) =>
    reply.status(201).send(presentAddress(await ctx.identity.createAddress(req.principal!.account_id, req.body))));
  app.get('/addresses/:addressId', { schema: { tags: ['me'], params: IdParam('addressId', 'adr'), response: { 200: AddressSchema, ...errors(400, 401, 404) } } }, async (req) =>
    presentAddress(await ctx.identity.getAddress(req.principal!.account_id, req.params.addressId)));
  app.patch('/addresses/:addressId', { schema: { tags: ['me'], params: IdParam('addressId', 'adr'), body: Type.Partial(AddressBody), response: { 200: AddressSchema, ...errors(400, 401, 404) } } }, async (req) =>
    presentAddress(await ctx.identity.updateAddress(req.principal!.account_id, req.params.addressId, req.body)));
  app.delete('/addresses/:addressId', { schema: { tags: ['me'], params: IdParam('addressId', 'adr'), response: { 204: Type.Null(), ...errors(400, 401, 404) } } }, async (req, reply) => {
    await ctx.identity.deleteAddress(req.principal!.account_id, req.params.addressId);
    return reply.status(204).send(null);
  });
};
