import { randomUUID } from 'node:crypto';
import restify from 'restify';
import { parseJson, readBody } from '../bots/http/json-body.ts';

// The web chat's baseline: the same restify server and body reading, conversations that hold their event
// streams, and a posted line written as an event to each of them: what any chat over SSE does per line.
const streams = new Map<string, Set<restify.Response>>();
let seq = 0;
const server = restify.createServer({ name: 'bare-webchat', handleUncaughtExceptions: false });
server.post('/v1/chat/conversations', async (_req, res) => {
  const id = randomUUID();
  streams.set(id, new Set());
  res.writeHead(201, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ conversation: { id }, token: id }));
});
server.get('/v1/chat/conversations/:id/events', async (req, res) => {
  const open = streams.get(String(req.params.id));
  if (!open) {
    res.writeHead(404);
    res.end();
    return;
  }
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store' });
  res.write('retry: 2000\n\n');
  open.add(res);
  req.on('close', () => open.delete(res));
});
server.post('/v1/chat/conversations/:id/messages', async (req, res) => {
  const open = streams.get(String(req.params.id));
  const { text } = parseJson(await readBody(req, 8 * 1024)) as { text: string };
  const message = { seq: ++seq, from: 'customer', text, at: Date.now() };
  for (const stream of open ?? [])
    stream.write(`id: ${message.seq}\nevent: message\ndata: ${JSON.stringify(message)}\n\n`);
  res.writeHead(201, { 'content-type': 'application/json' });
  res.end(JSON.stringify(message));
});
server.listen(Number(process.env.PORT), '127.0.0.1', () =>
  process.stdout.write('Configuration: bare web chat ready\n'),
);
process.on('SIGTERM', () => server.close(() => process.exit(0)));
