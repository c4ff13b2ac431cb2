import { randomInt } from 'node:crypto';
import { Redis } from 'ioredis';
import restify from 'restify';

// The portal API's baseline: the same restify server, a bearer key check, and one Redis call per PIN (a SET with
// a TTL), answering 201 with JSON: the least a PIN service that remembers its PINs does per request.
const keys = new Set((process.env.PORTAL_API_KEYS ?? '').split(','));
const redis = new Redis(process.env.REDIS_URL ?? '', { lazyConnect: false });
const server = restify.createServer({ name: 'bare-portal', handleUncaughtExceptions: false });
server.post('/v1/accounts/:accountId/support-pins', async (req, res) => {
  const token = /^Bearer (\S+)$/u.exec(String(req.headers.authorization ?? ''))?.[1] ?? '';
  if (!keys.has(token)) {
    res.writeHead(401, { 'content-type': 'application/json' });
    res.end('{"error":{"code":"unauthorized"}}');
    return;
  }
  const pin = String(randomInt(0, 10_000)).padStart(4, '0');
  await redis.set(`bare:pin:${String(req.params.accountId)}`, pin, 'PX', 600_000);
  res.writeHead(201, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ pin, expiresAt: new Date(Date.now() + 600_000).toISOString(), validForSeconds: 600 }));
});
server.listen(Number(process.env.PORT), '127.0.0.1', () => process.stdout.write('Configuration: bare portal ready\n'));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
