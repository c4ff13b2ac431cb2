import {
  type App,
  HTTPResponseAck,
  HTTPModuleFunctions as http,
  type Logger,
  type Receiver,
  type ReceiverEvent,
} from '@slack/bolt';
import type { Request, Response } from 'restify';
import type { Clock } from '../../core/ports/index.ts';
import { type SlackBodyProblem, slackBodyProblem } from './payload-schemas.ts';

export interface RestifyReceiverOptions {
  signingSecret: string;
  logger: Logger;
  clock: Clock;
  /** Largest request body accepted; Slack's own payloads stay far below it. */
  bodyLimitBytes?: number;
  /**
   * Told about every refused request, for the log and metrics; a body that failed its schema comes with where
   * it failed first.
   */
  onRefused?(reason: SlackRefusal, problem?: SlackBodyProblem): void;
}

/** Why `POST /slack/events` refused a request. */
export type SlackRefusal = 'stale' | 'signature' | 'too_large' | 'malformed';

const MAX_SKEW_SECONDS = 5 * 60;

/**
 * Bolt's receiver on the shared restify server, built from Bolt's own HTTP functions as its custom-receiver
 * example does: the raw body is read and signature-checked here, per route, so no global body parser can
 * consume it first. Also refuses timestamps more than 5 minutes in the future, which Bolt's check allows.
 */
export class RestifyReceiver implements Receiver {
  private app: App | undefined;
  // Listeners run on after Slack has its ack; a stopping replica lets them finish.
  private readonly inFlight = new Set<Promise<void>>();

  constructor(private readonly options: RestifyReceiverOptions) {}

  init(app: App): void {
    this.app = app;
  }

  // The restify server is started and stopped by bots/server.ts, with every other route.
  async start(): Promise<void> {}

  /** Resolves once every listener still running (after its ack) has finished. */
  async stop(): Promise<void> {
    await this.idle();
  }

  /** Resolves once every request being handled now, and its listeners, has finished; the receiver stays open. */
  async idle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  /** The handler for `POST /slack/events`. Never throws: every failure is a status without a body. */
  readonly handle = async (req: Request, res: Response): Promise<void> => {
    const work = this.dispatch(req, res).catch((error: unknown) => {
      this.options.logger.error(`Slack request failed: ${(error as Error).name}`);
      if (!res.headersSent) http.buildNoBodyResponse(res, 500);
    });
    this.inFlight.add(work);
    try {
      await work;
    } finally {
      this.inFlight.delete(work);
    }
  };

  private async dispatch(req: Request, res: Response): Promise<void> {
    const { logger, onRefused } = this.options;
    const stamp = req.headers['x-slack-request-timestamp'];
    if (
      typeof stamp === 'string' &&
      stamp !== '' &&
      !(Math.abs(this.options.clock.now() / 1000 - Number(stamp)) <= MAX_SKEW_SECONDS)
    ) {
      onRefused?.('stale');
      return http.buildNoBodyResponse(res, 401);
    }

    let buffered: Awaited<ReturnType<typeof http.parseAndVerifyHTTPRequest>>;
    try {
      buffered = await http.parseAndVerifyHTTPRequest(
        { signingSecret: this.options.signingSecret, bodyLimit: this.options.bodyLimitBytes ?? 256 * 1024, logger },
        req,
      );
    } catch (error) {
      if (http.isRawBodyError(error) && (error.type === 'entity.too.large' || error.statusCode === 413)) {
        onRefused?.('too_large');
        return http.buildNoBodyResponse(res, 413);
      }
      onRefused?.('signature');
      return http.buildNoBodyResponse(res, 401);
    }

    let body: Record<string, unknown>;
    try {
      body = http.parseHTTPRequestBody(buffered) as Record<string, unknown>;
      if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new Error('not an object');
    } catch {
      onRefused?.('malformed', { kind: 'unknown', schemaPath: '#/type', instancePath: '' });
      return http.buildNoBodyResponse(res, 400);
    }
    if (body.ssl_check === '1') return http.buildSSLCheckResponse(res);
    if (body.type === 'url_verification') return http.buildUrlVerificationResponse(res, body);
    const problem = slackBodyProblem(body);
    if (problem) {
      onRefused?.('malformed', problem);
      return http.buildNoBodyResponse(res, 400);
    }

    const ack = new HTTPResponseAck({
      logger,
      processBeforeResponse: false,
      httpRequest: buffered,
      httpRequestBody: body,
      httpResponse: res,
    });
    const event: ReceiverEvent = {
      body,
      ack: ack.bind(),
      retryNum: http.extractRetryNumFromHTTPRequest(req),
      retryReason: http.extractRetryReasonFromHTTPRequest(req),
      customProperties: {},
    };
    await this.app?.processEvent(event);
  }
}
