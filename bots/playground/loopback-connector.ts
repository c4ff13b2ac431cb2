import { randomUUID } from 'node:crypto';
import type { Request, Response } from 'restify';
import { parseJson, readBody } from '../http/json-body.ts';
import { HttpError, sendJson } from '../http/responses.ts';

/** What the bot sent to the playground's agent, as the Bot Connector would have delivered it to Teams. */
export interface LoopbackEvent {
  kind: 'sent' | 'updated';
  conversationId: string;
  activity: Record<string, unknown> & { id: string };
}

// A playground session is short; this keeps a page reload's worth of history without growing.
const HISTORY = 200;
const MAX_ACTIVITY_BYTES = 256 * 1024;

/**
 * The playground's stand-in for the Bot Connector service: the Teams bot, reached through the real
 * `POST /api/messages` with this as the activity's `serviceUrl`, sends and updates its cards here, and the
 * playground page receives them as a live stream. It implements only what the bot calls: send, reply, update.
 */
export class LoopbackConnector {
  private readonly history: LoopbackEvent[] = [];
  private readonly streams = new Map<Response, (event: LoopbackEvent) => void>();

  /** `POST …/v3/conversations/:conversationId/activities[/:activityId]` and `PUT …/activities/:activityId`. */
  readonly activities = async (req: Request, res: Response): Promise<void> => {
    const conversationId = String(req.params?.conversationId ?? '');
    const body = parseJson(await readBody(req, MAX_ACTIVITY_BYTES));
    if (!body || typeof body !== 'object' || Array.isArray(body))
      throw new HttpError(400, 'invalid_activity', 'an activity is a JSON object');
    const update = req.method === 'PUT';
    const id = update ? String(req.params?.activityId ?? '') : randomUUID();
    this.record({ kind: update ? 'updated' : 'sent', conversationId, activity: { ...body, id } });
    sendJson(res, update ? 200 : 201, { id });
  };

  /** `POST …/v3/conversations`: a new thread in a channel (the web chat relay starts one per conversation). */
  readonly createConversation = async (req: Request, res: Response): Promise<void> => {
    const body = parseJson(await readBody(req, MAX_ACTIVITY_BYTES)) as {
      channelData?: { channel?: { id?: unknown } };
      activity?: Record<string, unknown>;
    } | null;
    const channel = body?.channelData?.channel?.id;
    if (typeof channel !== 'string' || !channel.startsWith('19:'))
      throw new HttpError(400, 'invalid_request', 'a new conversation needs channelData.channel.id');
    const activityId = randomUUID();
    const conversationId = `${channel};messageid=${activityId}`;
    if (body?.activity) this.record({ kind: 'sent', conversationId, activity: { ...body.activity, id: activityId } });
    sendJson(res, 201, { id: conversationId, activityId });
  };

  /** `GET /playground/agent/events`: everything the bot sent so far, then live (Server-Sent Events). */
  readonly stream = async (req: Request, res: Response): Promise<void> => {
    res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store' });
    // Sends the headers now: a stream with nothing to replay would otherwise look unanswered.
    res.write('retry: 2000\n\n');
    const write = (event: LoopbackEvent) => res.write(`event: ${event.kind}\ndata: ${JSON.stringify(event)}\n\n`);
    for (const event of this.history) write(event);
    this.streams.set(res, write);
    req.on('close', () => this.streams.delete(res));
  };

  /** Ends every open stream, so the server can close. */
  close(): void {
    for (const res of this.streams.keys()) res.end();
    this.streams.clear();
  }

  events(): readonly LoopbackEvent[] {
    return this.history;
  }

  private record(event: LoopbackEvent): void {
    this.history.push(event);
    if (this.history.length > HISTORY) this.history.shift();
    for (const write of this.streams.values()) write(event);
  }
}
