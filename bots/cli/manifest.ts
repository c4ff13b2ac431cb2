import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import {
  checkSlackManifest,
  readSlackManifest,
  SLACK_MANIFEST_PATH,
  slackManifestFor,
  toYaml,
} from '../manifest/slack-manifest.ts';
import {
  checkTeamsManifest,
  readTeamsManifest,
  TEAMS_DIR,
  teamsManifestFor,
  teamsPackage,
} from '../manifest/teams-manifest.ts';
import { optionProblem } from './options.ts';

// `npm run manifest`: checks the app manifests and writes the ones to install, with this deployment's values.
// Beside the project's build (dist/), from where `npm run manifest` runs: the project's root.
const OUT_DIR = resolve('dist/manifest');
const publicUrl = process.env.PUBLIC_URL?.replace(/\/$/u, '');
const appId = process.env.MicrosoftAppId;
const socketMode = Boolean(process.env.SLACK_APP_TOKEN);
let org = false;
try {
  org = parseArgs({ options: { org: { type: 'boolean', default: false } } }).values.org;
} catch (error) {
  process.stderr.write(`manifest: ${optionProblem(error)}; the one option is --org (Enterprise Grid, org-wide)\n`);
  process.exit(2);
}
let failed = false;

if (publicUrl !== undefined && !/^https?:\/\/[^\s/]+/u.test(publicUrl)) {
  process.stderr.write('manifest: PUBLIC_URL must be the http(s) URL where this server is reached\n');
  process.exit(2);
}
if (appId !== undefined && !/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/iu.test(appId)) {
  process.stderr.write('manifest: MicrosoftAppId must be the bot’s Microsoft App ID (a GUID)\n');
  process.exit(2);
}
mkdirSync(OUT_DIR, { recursive: true });

const report = (what: string, problems: string[]) => {
  if (problems.length === 0) return true;
  failed = true;
  process.stderr.write(`✗ ${what}\n${problems.map((p) => `  - ${p}`).join('\n')}\n`);
  return false;
};

const slack = readSlackManifest();
const slackDeployed = slackManifestFor(slack, { ...(publicUrl ? { publicUrl } : {}), socketMode, org });
const slackOut = join(OUT_DIR, 'slack-manifest.yaml');
if (report(SLACK_MANIFEST_PATH, [...new Set([...checkSlackManifest(slack), ...checkSlackManifest(slackDeployed)])])) {
  if (!publicUrl && !socketMode) {
    // Nothing that looks ready to paste while Slack would be sent to a placeholder address.
    rmSync(slackOut, { force: true });
    process.stdout.write(
      '✓ Slack manifest is valid; nothing written: set PUBLIC_URL (the https address where Slack reaches this server) or SLACK_APP_TOKEN (Socket Mode) to write the manifest to paste\n',
    );
  } else {
    writeFileSync(slackOut, toYaml(slackDeployed));
    const how = socketMode ? 'Socket Mode (SLACK_APP_TOKEN is set)' : `requests to ${publicUrl}/slack/events`;
    const where = org ? ', to install once for the whole Enterprise Grid org' : '';
    process.stdout.write(`✓ Slack manifest is valid; ${slackOut} is ready to paste, with ${how}${where}\n`);
  }
}

const teams = readTeamsManifest();
const teamsOut = join(OUT_DIR, 'support-verify-teams.zip');
const companyPages = {
  ...(process.env.TEAMS_WEBSITE_URL ? { websiteUrl: process.env.TEAMS_WEBSITE_URL } : {}),
  ...(process.env.TEAMS_PRIVACY_URL ? { privacyUrl: process.env.TEAMS_PRIVACY_URL } : {}),
  ...(process.env.TEAMS_TERMS_URL ? { termsOfUseUrl: process.env.TEAMS_TERMS_URL } : {}),
};
if (report(`${TEAMS_DIR}manifest.json`, checkTeamsManifest(teams))) {
  if (!appId || !publicUrl) {
    rmSync(teamsOut, { force: true });
    const missing = [appId ? undefined : 'MicrosoftAppId', publicUrl ? undefined : 'PUBLIC_URL'].filter(Boolean);
    process.stdout.write(
      `✓ Teams manifest is valid; nothing written: set ${missing.join(' and ')} to build the upload zip\n`,
    );
  } else {
    const deployed = teamsManifestFor(teams, { appId, publicUrl, ...companyPages });
    if (report('the Teams manifest for this deployment', checkTeamsManifest(deployed))) {
      writeFileSync(teamsOut, await teamsPackage(deployed));
      process.stdout.write(`✓ Teams manifest is valid; ${teamsOut} is ready to upload, for app ${appId}\n`);
      if (!companyPages.privacyUrl || !companyPages.termsOfUseUrl)
        process.stdout.write(
          `  its privacy and terms links point to ${publicUrl}/privacy and /terms: set TEAMS_PRIVACY_URL and TEAMS_TERMS_URL to your company's pages\n`,
        );
    }
  }
}

process.exit(failed ? 1 : 0);
