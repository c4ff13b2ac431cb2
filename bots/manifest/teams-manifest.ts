import { readFileSync } from 'node:fs';
import AjvDraft04 from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import JSZip from 'jszip';
import { MESSAGE_ACTION } from '../teams/teams-bot.ts';

const ROOT = new URL('../../', import.meta.url);
export const TEAMS_DIR = new URL('manifest/teams/', ROOT).pathname;
export const TEAMS_SCHEMA_PATH = new URL('manifest/schemas/teams-manifest-v1.24.schema.json', ROOT).pathname;
/** The app id the committed manifest carries; a deployment's MicrosoftAppId takes its place. */
export const PLACEHOLDER_APP_ID = '00000000-0000-0000-0000-000000000000';
const GUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/u;
const ICON_SIZES = { color: 192, outline: 32 } as const;
const RSC_PERMISSIONS = ['ChatMessage.Read.Chat', 'ChannelMessage.Read.Group'];

/** The parts of a Teams app manifest this app relies on; the schema checks the rest. */
export interface TeamsManifest {
  id: string;
  icons: { color: string; outline: string };
  bots?: Array<{ botId: string; scopes: string[] }>;
  composeExtensions?: Array<{ botId?: string; commands?: Array<{ id: string; type?: string; context?: string[] }> }>;
  validDomains?: string[];
  supportedChannelTypes?: string[];
  webApplicationInfo?: { id?: string; resource?: string };
  developer?: {
    name?: string;
    websiteUrl?: string;
    privacyUrl?: string;
    termsOfUseUrl?: string;
    [key: string]: unknown;
  };
  authorization?: { permissions?: { resourceSpecific?: Array<{ name: string; type: string }> } };
  [key: string]: unknown;
}

export function readTeamsManifest(dir = TEAMS_DIR): TeamsManifest {
  return JSON.parse(readFileSync(`${dir}manifest.json`, 'utf8')) as TeamsManifest;
}

/** Problems with a manifest and its icons, each naming where it is; empty when Teams would accept the package. */
export function checkTeamsManifest(manifest: TeamsManifest, dir = TEAMS_DIR): string[] {
  // Microsoft's schema is draft-04 and uses keywords ajv's strict mode rejects.
  const ajv = new AjvDraft04.default({ allErrors: true, strict: false });
  addFormats.default(ajv);
  const validate = ajv.compile(JSON.parse(readFileSync(TEAMS_SCHEMA_PATH, 'utf8')) as object);
  const problems = validate(manifest)
    ? []
    : (validate.errors ?? []).map((e) => `${e.instancePath || '(top)'} ${e.message ?? 'is invalid'}`);
  const bot = manifest.bots?.[0];
  if (!bot) problems.push('bots must declare the bot');
  else {
    if (bot.botId !== manifest.id) problems.push('bots[0].botId must be the app id (the bot is the app)');
    for (const scope of ['personal', 'team', 'groupChat'])
      if (!bot.scopes.includes(scope)) problems.push(`bots[0].scopes must include ${scope}`);
  }
  const action = manifest.composeExtensions?.[0]?.commands?.find((c) => c.id === MESSAGE_ACTION);
  if (!action?.context?.includes('message') || action.type !== 'action')
    problems.push(`composeExtensions must declare the message action ${MESSAGE_ACTION}`);
  // Reading chat and channel messages without an @mention takes RSC, which Teams grants only to the Entra app
  // named by webApplicationInfo (Microsoft's "Test resource-specific consent permissions in Teams").
  const rsc = (manifest.authorization?.permissions?.resourceSpecific ?? []).map((p) => p.name);
  for (const permission of RSC_PERMISSIONS)
    if (!rsc.includes(permission))
      problems.push(`authorization.permissions.resourceSpecific must include ${permission} (Application)`);
  if (manifest.webApplicationInfo?.id !== manifest.id)
    problems.push('webApplicationInfo.id must be the app id (RSC is granted to that Entra app)');
  if (!manifest.webApplicationInfo?.resource)
    problems.push('webApplicationInfo.resource must be set (RSC ignores it, but Teams refuses the app without it)');
  for (const type of ['sharedChannels', 'privateChannels'])
    if (!manifest.supportedChannelTypes?.includes(type))
      problems.push(`supportedChannelTypes must include ${type} (customers are met in shared channels)`);
  for (const [which, size] of Object.entries(ICON_SIZES) as Array<[keyof typeof ICON_SIZES, number]>) {
    const file = `${dir}${manifest.icons[which]}`;
    const found = pngSize(file);
    if (!found) problems.push(`icons.${which} (${manifest.icons[which]}) must be a PNG file`);
    else if (found.width !== size || found.height !== size)
      problems.push(`icons.${which} must be ${size}×${size}, not ${found.width}×${found.height}`);
  }
  return problems;
}

function pngSize(path: string): { width: number; height: number } | undefined {
  try {
    const bytes = readFileSync(path);
    if (bytes.subarray(1, 4).toString('latin1') !== 'PNG') return undefined;
    return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
  } catch {
    return undefined;
  }
}

/** The manifest for one deployment: its Microsoft app id everywhere the app is named, and its host as the valid domain. */
export function teamsManifestFor(
  manifest: TeamsManifest,
  options: {
    appId: string;
    publicUrl?: string;
    /** The company's own pages; without them, `PUBLIC_URL`'s host stands in for the placeholder's. */
    websiteUrl?: string;
    privacyUrl?: string;
    termsOfUseUrl?: string;
  },
): TeamsManifest {
  if (!GUID.test(options.appId)) throw new Error('MicrosoftAppId must be the bot’s Microsoft App ID (a GUID)');
  const copy = structuredClone(manifest);
  copy.id = options.appId;
  for (const bot of copy.bots ?? []) bot.botId = options.appId;
  for (const extension of copy.composeExtensions ?? []) extension.botId = options.appId;
  if (copy.webApplicationInfo) {
    copy.webApplicationInfo.id = options.appId;
    copy.webApplicationInfo.resource = `api://botid-${options.appId}`;
  }
  if (options.publicUrl) copy.validDomains = [new URL(options.publicUrl).host];
  const base = options.publicUrl?.replace(/\/$/u, '');
  if (copy.developer) {
    const { developer } = copy;
    const website = options.websiteUrl ?? (base ? `${base}/` : undefined);
    const privacy = options.privacyUrl ?? (base ? `${base}/privacy` : undefined);
    const terms = options.termsOfUseUrl ?? (base ? `${base}/terms` : undefined);
    if (website) developer.websiteUrl = website;
    if (privacy) developer.privacyUrl = privacy;
    if (terms) developer.termsOfUseUrl = terms;
  }
  return copy;
}

/** The upload package Teams takes: manifest.json and both icons at the top of a zip. */
export async function teamsPackage(manifest: TeamsManifest, dir = TEAMS_DIR): Promise<Buffer> {
  const zip = new JSZip();
  zip.file('manifest.json', `${JSON.stringify(manifest, null, 2)}\n`);
  zip.file(manifest.icons.color, readFileSync(`${dir}${manifest.icons.color}`));
  zip.file(manifest.icons.outline, readFileSync(`${dir}${manifest.icons.outline}`));
  return zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' });
}
