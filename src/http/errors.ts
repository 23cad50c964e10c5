import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { AppError, type ErrorKind } from '../lib/errors.ts';

const STATUS: Record<ErrorKind, number> = {
  validation: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  business_rule: 422,
  throttled: 429,
  unavailable: 503,
  internal: 500,
};

export function statusOf(kind: ErrorKind): number {
  return STATUS[kind];
}

/** The one place that turns failures into `{error:{code,message,details}}` responses. */
export function errorHandler(err: FastifyError | AppError | Error, request: FastifyRequest, reply: FastifyReply): void {
  if (err instanceof AppError) {
    if (err.headers) void reply.headers(err.headers);
    void reply.status(STATUS[err.kind]).send({ error: { code: err.code, message: err.message, ...(err.message_zh ? { message_zh: err.message_zh } : {}), details: err.details, request_id: request.id } });
    return;
  }
  const fe = err as FastifyError;
  if (fe.validation) {
    const details = fe.validation.map((v) => ({ path: `${fe.validationContext ?? ''}${v.instancePath}`, message: v.message, params: v.params }));
    void reply.status(400).send({ error: { code: 'validation_failed', message: `invalid request: ${fe.validationContext ?? ''}${fe.validation[0]?.instancePath ?? ''} ${fe.validation[0]?.message ?? ''}`.trim(), details, request_id: request.id } });
    return;
  }
  if (fe.statusCode && fe.statusCode >= 400 && fe.statusCode < 500) {
    // Fastify's own client errors: malformed JSON, body too large, unsupported media type.
    const code = fe.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE' ? 'unsupported_media_type' : fe.code === 'FST_ERR_CTP_BODY_TOO_LARGE' ? 'body_too_large' : 'bad_request';
    void reply.status(fe.statusCode).send({ error: { code, message: fe.message, request_id: request.id } });
    return;
  }
  request.log.error({ err }, 'unhandled error');
  void reply.status(500).send({ error: { code: 'internal_error', message: 'something went wrong on our side; the request id identifies it in the logs', request_id: request.id } });
}

export function notFoundHandler(request: FastifyRequest, reply: FastifyReply): void {
  void reply.status(404).send({ error: { code: 'route_not_found', message: `no route ${request.method} ${request.url.split('?')[0]}`, request_id: request.id } });
}
