import { Compile } from 'typebox/compile';
import type { TSchema } from 'typebox';
import type { App } from './types.ts';

/**
 * In tests, every JSON response is checked against the route's declared response schema
 * for its status, so a handler can't silently drift from the OpenAPI document.
 */
export function responseValidation(app: App): void {
  const cache = new WeakMap<object, ReturnType<typeof Compile>>();
  app.addHook('preSerialization', async (request, reply, payload) => {
    const schema = (request.routeOptions.schema?.response as Record<string, TSchema> | undefined)?.[String(reply.statusCode)];
    if (!schema || (schema as { $ref?: string }).$ref) return payload;
    let check = cache.get(schema);
    if (!check) {
      check = Compile(schema);
      cache.set(schema, check);
    }
    const value = JSON.parse(JSON.stringify(payload));
    if (!check.Check(value)) {
      const first = [...check.Errors(value)].slice(0, 3);
      throw new Error(`response for ${request.method} ${request.routeOptions.url} (${reply.statusCode}) violates its schema: ${JSON.stringify(first)}`);
    }
    return payload;
  });
}
