import { App } from '@slack/bolt';
import restify from 'restify';
import { createLogger } from '../adapters/log/logger.ts';
import { boltLogger } from '../bots/slack/bolt-logger.ts';
import { RestifyReceiver } from '../bots/slack/restify-receiver.ts';
import { systemClock } from '../core/ports/index.ts';

// The benchmark's baseline: the same restify server and Slack receiver as the product, with a Bolt
// slash-command handler that only acknowledges. Run by bench/bench.ts as a process of its own.
const logger = boltLogger(createLogger({ level: 'warn' }));
const receiver = new RestifyReceiver({
  signingSecret: process.env.SLACK_SIGNING_SECRET ?? '',
  logger,
  clock: systemClock,
});
const app = new App({
  receiver,
  authorize: async () => ({ botToken: process.env.SLACK_BOT_TOKEN ?? '' }),
  logger,
});
app.command('/verify', async ({ ack }) => {
  await ack();
});

const server = restify.createServer({ name: 'bare-bolt', handleUncaughtExceptions: false });
server.post('/slack/events', receiver.handle);
server.listen(Number(process.env.PORT), '127.0.0.1', () => process.stdout.write('Configuration: bare Bolt ready\n'));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
