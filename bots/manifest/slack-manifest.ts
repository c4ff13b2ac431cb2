import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import addFormats from 'ajv-formats';
import { parse, stringify } from 'yaml';
import { SHORTCUT } from '../slack/blocks.ts';

const ROOT = new URL('../../', import.meta.url);
export const SLACK_MANIFEST_PATH = new URL('manifest/slack/manifest.yaml', ROOT).pathname;
export const SLACK_SCHEMA_PATH = new URL('manifest/schemas/slack-manifest-v1.schema.json', ROOT).pathname;
/** The host the committed manifest names; a deployment's PUBLIC_URL takes its place. */
export const PLACEHOLDER_URL = 'https://verify.example.com';
const EVENTS_PATH = '/slack/events';

/** The parts of a Slack app manifest this app relies on; the schema checks the rest. */
export interface SlackManifest {
  features?: {
    slash_commands?: Array<{ command: string; url?: string }>;
    shortcuts?: Array<{ callback_id: string; type: string }>;
    app_home?: { home_tab_enabled?: boolean; messages_tab_enabled?: boolean };
  };
  oauth_config?: { scopes?: { bot?: string[] } };
  settings?: {
    event_subscriptions?: { request_url?: string; bot_events?: string[] };
    interactivity?: { is_enabled: boolean; request_url?: string };
    socket_mode_enabled?: boolean;
    org_deploy_enabled?: boolean;
  };
  [key: string]: unknown;
}

export function readSlackManifest(path = SLACK_MANIFEST_PATH): SlackManifest {
  return parse(readFileSync(path, 'utf8')) as SlackManifest;
}

/** Problems with a manifest, each a sentence naming where it is; empty when Slack would accept it and the app works with it. */
export function checkSlackManifest(manifest: SlackManifest, schemaPath = SLACK_SCHEMA_PATH): string[] {
  // Slack's schema uses keywords of its own ("regex", "_note"); strict mode would reject the schema itself.
  const ajv = new Ajv({ allErrors: true, strict: false });
  addFormats.default(ajv);
  const validate = ajv.compile(JSON.parse(readFileSync(schemaPath, 'utf8')) as object);
  const problems = validate(manifest)
    ? []
    : (validate.errors ?? []).map((e) => `${e.instancePath || '(top)'} ${e.message ?? 'is invalid'}`);
  return [...problems, ...checkWhatTheAppNeeds(manifest)];
}

// What the code listens for; a manifest without these installs cleanly and then silently does nothing.
const REQUIRED_BOT_EVENTS = [
  'app_home_opened',
  'message.channels',
  'message.groups',
  'channel_archive',
  'group_archive',
  'channel_left',
  'group_left',
  'member_left_channel',
];
const REQUIRED_SCOPES = ['commands', 'chat:write', 'users:read', 'channels:read', 'channels:history'];

function checkWhatTheAppNeeds(manifest: SlackManifest): string[] {
  const problems: string[] = [];
  const { features, settings } = manifest;
  const verify = features?.slash_commands?.find((c) => c.command === '/verify');
  if (!verify) problems.push('features.slash_commands must include /verify');
  if (!features?.shortcuts?.some((s) => s.callback_id === SHORTCUT && s.type === 'message'))
    problems.push(`features.shortcuts must include the message shortcut ${SHORTCUT}`);
  if (!features?.app_home?.home_tab_enabled) problems.push('features.app_home.home_tab_enabled must be true');
  if (!features?.app_home?.messages_tab_enabled)
    problems.push('features.app_home.messages_tab_enabled must be true (the agent’s cards arrive there)');
  const scopes = manifest.oauth_config?.scopes?.bot ?? [];
  for (const scope of REQUIRED_SCOPES)
    if (!scopes.includes(scope)) problems.push(`oauth_config.scopes.bot must include ${scope}`);
  const events = settings?.event_subscriptions?.bot_events ?? [];
  for (const event of REQUIRED_BOT_EVENTS)
    if (!events.includes(event)) problems.push(`settings.event_subscriptions.bot_events must include ${event}`);
  if (!settings?.interactivity?.is_enabled) problems.push('settings.interactivity.is_enabled must be true');
  if (!settings?.socket_mode_enabled) {
    const urls: Array<[string, string | undefined]> = [
      ['features.slash_commands[/verify].url', verify?.url],
      ['settings.event_subscriptions.request_url', settings?.event_subscriptions?.request_url],
      ['settings.interactivity.request_url', settings?.interactivity?.request_url],
    ];
    for (const [where, url] of urls)
      if (!url?.endsWith(EVENTS_PATH))
        problems.push(`${where} must end with ${EVENTS_PATH} (every Slack request goes there)`);
  }
  return problems;
}

/**
 * The manifest for one deployment: request URLs on `publicUrl`, or Socket Mode (no request URLs) when the
 * app connects out with an app-level token; with `org`, installable once for a whole Enterprise Grid org.
 */
export function slackManifestFor(
  manifest: SlackManifest,
  options: { publicUrl?: string; socketMode: boolean; org?: boolean },
): SlackManifest {
  const copy = structuredClone(manifest);
  const at = (url: string | undefined) =>
    url && options.publicUrl ? url.replace(PLACEHOLDER_URL, options.publicUrl.replace(/\/$/u, '')) : url;
  const settings = copy.settings ?? {};
  if (options.org) settings.org_deploy_enabled = true;
  if (options.socketMode) {
    settings.socket_mode_enabled = true;
    for (const command of copy.features?.slash_commands ?? []) delete command.url;
    if (settings.event_subscriptions) delete settings.event_subscriptions.request_url;
    if (settings.interactivity) delete settings.interactivity.request_url;
  } else {
    for (const command of copy.features?.slash_commands ?? []) {
      const url = at(command.url);
      if (url) command.url = url;
    }
    const events = at(settings.event_subscriptions?.request_url);
    if (settings.event_subscriptions && events) settings.event_subscriptions.request_url = events;
    const interactivity = at(settings.interactivity?.request_url);
    if (settings.interactivity && interactivity) settings.interactivity.request_url = interactivity;
  }
  copy.settings = settings;
  return copy;
}

export function toYaml(manifest: SlackManifest): string {
  return stringify(manifest, { lineWidth: 0 });
}
