import { Type, type TSchema } from 'typebox';

/** Shared HTTP schemas. Every route declares body/params/query/response with these builders. */
export const ErrorBody = Type.Object(
  {
    error: Type.Object({
      code: Type.String({ description: 'machine-readable, stable: e.g. validation_failed, store_not_found' }),
      message: Type.String({ description: 'human-readable, English' }),
      message_zh: Type.Optional(Type.String({ description: 'human-readable, Chinese (when the rule provides one)' })),
      details: Type.Optional(Type.Unknown()),
      request_id: Type.Optional(Type.String()),
    }),
  },
  { $id: 'ErrorBody' },
);

export const Page = <T extends TSchema>(item: T) =>
  Type.Object({ items: Type.Array(item), next_cursor: Type.Union([Type.String(), Type.Null()], { description: 'pass as ?cursor= for the next page; null at the end' }) });

export const PageQuery = Type.Object({
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 20 })),
  cursor: Type.Optional(Type.String({ maxLength: 200 })),
});

export const IdParam = (name: string, prefix: string) =>
  Type.Object({ [name]: Type.String({ pattern: `^${prefix}_[0-9A-HJKMNP-TV-Z]{26}$`, description: `${prefix}_… id` }) });

export const Timestamp = Type.String({ format: 'date-time' });
export const NullableTimestamp = Type.Union([Type.String({ format: 'date-time' }), Type.Null()]);

/** Money on the wire: integer minor units and a currency, never a float. */
export const MoneyMinor = Type.Integer({ minimum: 0, maximum: 100_000_000_00, description: 'amount in minor units (fen)' });
export const Currency = Type.Literal('CNY');

/** Standard error responses, so the OpenAPI document lists them on every route. */
export const errors = (...codes: (400 | 401 | 403 | 404 | 409 | 422 | 429)[]) =>
  Object.fromEntries(codes.map((c) => [c, Type.Ref('ErrorBody')]));
