/**
 * The ceiling: Fastify with one route and nothing else (no logger, hooks, schemas or
 * database), the same Fastify version the server uses, started the same way (tsx).
 */
import Fastify from 'fastify';

const app = Fastify({ logger: false });
app.get('/', async () => ({ hello: 'world' }));

const port = Number(process.env.PORT ?? 3000);
await app.listen({ port, host: process.env.HOST ?? '127.0.0.1' });

// Exit cleanly on SIGTERM, like the server, so `node --cpu-prof` gets to write its profile.
process.on('SIGTERM', () => void app.close().then(() => process.exit(0)));
