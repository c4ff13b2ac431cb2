import { readFileSync } from 'node:fs';

type Json = Record<string, unknown>;

const DIR = new URL('../fixtures/platforms/', import.meta.url);
let sequence = 0;

/**
 * One of the platform fixtures written blind from Slack's and Microsoft's docs and SDK tests
 * (test/fixtures/platforms/README.md): the payload exactly as written, a fresh copy each time.
 */
export function platformFixture(name: string): Json {
  const file = JSON.parse(readFileSync(new URL(`${name}.json`, DIR), 'utf8')) as { _source: string; payload: Json };
  if (typeof file._source !== 'string' || file._source.length < 40) throw new Error(`${name}: no _source`);
  return structuredClone(file.payload);
}

const fresh = (prefix: string) => `${prefix}${Date.now().toString(36)}${++sequence}`;

/** A Slack event fixture as delivered once more: a new `event_id` (each is claimed once), and its text. */
export function slackEvent(
  name: string,
  change: { text?: string; user?: string; envelope?: (body: Json) => void } = {},
): string {
  const body = platformFixture(name);
  const event = body.event as Json;
  body.event_id = fresh('Ev');
  const now = `${(Date.now() / 1000).toFixed(6)}`;
  if ('ts' in event) event.ts = now;
  if ('event_ts' in event) event.event_ts = now;
  if (change.text !== undefined) {
    event.text = change.text;
    event.blocks = [
      {
        type: 'rich_text',
        block_id: 'b1',
        elements: [{ type: 'rich_text_section', elements: [{ type: 'text', text: change.text }] }],
      },
    ];
  }
  if (change.user !== undefined) event.user = change.user;
  change.envelope?.(body);
  return JSON.stringify(body);
}

/** A Slack interaction fixture, form-encoded as Slack posts it, with a fresh `trigger_id`. */
export function slackInteraction(body: Json): string {
  body.trigger_id = `${Date.now()}.${++sequence}.0a1b2c3d4e5f60718293a4b5c6d7e8f9`;
  return new URLSearchParams({ payload: JSON.stringify(body) }).toString();
}

/** A Teams activity fixture as delivered once more, through the Bot Connector double at `serviceUrl`. */
export function teamsActivity(name: string, serviceUrl: string, change: (activity: Json) => void = () => {}): Json {
  const activity = platformFixture(name);
  activity.id = activity.type === 'invoke' ? `f:${fresh('')}` : fresh('17552');
  activity.serviceUrl = serviceUrl;
  change(activity);
  return activity;
}
