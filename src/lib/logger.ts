import pino from 'pino';

/** Structured JSON logs (pino, the logger Fastify uses), one instance per process. */
export type Logger = pino.Logger;

export function createLogger(level: string = process.env.LOG_LEVEL ?? 'info'): Logger {
  return pino({ level, base: { service: 'xiaodian' } });
}

export const silentLogger: Logger = pino({ level: 'silent' });
