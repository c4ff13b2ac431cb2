import {
  ActivityHandler,
  CloudAdapter,
  ConfigurationBotFrameworkAuthentication,
  type InvokeResponse,
  type TurnContext,
} from 'botbuilder';
import restify from 'restify';
import { parseJson, readBody } from '../bots/http/json-body.ts';

// The Teams baseline: the same restify server and body reading as the product, a botbuilder CloudAdapter
// without authentication (as the product runs without MicrosoftAppId), and a bot that answers each message
// with one activity and each card action with an empty card: the least a Teams bot does per step.
const adapter = new CloudAdapter(new ConfigurationBotFrameworkAuthentication({}));
class BareBot extends ActivityHandler {
  constructor() {
    super();
    this.onMessage(async (context, next) => {
      await context.sendActivity('ok');
      await next();
    });
  }

  protected override async onInvokeActivity(_context: TurnContext): Promise<InvokeResponse> {
    return {
      status: 200,
      body: {
        statusCode: 200,
        type: 'application/vnd.microsoft.card.adaptive',
        value: { type: 'AdaptiveCard', version: '1.5', body: [] },
      },
    };
  }
}
const bot = new BareBot();

const server = restify.createServer({ name: 'bare-teams', handleUncaughtExceptions: false });
server.post('/api/messages', async (req, res) => {
  (req as restify.Request & { body: unknown }).body = parseJson(await readBody(req, 256 * 1024));
  await adapter.process(req, res, (context) => bot.run(context));
});
server.listen(Number(process.env.PORT), '127.0.0.1', () => process.stdout.write('Configuration: bare Teams ready\n'));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
