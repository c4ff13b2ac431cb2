import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  checkSlackManifest,
  readSlackManifest,
  SLACK_MANIFEST_PATH,
  slackManifestFor,
  toYaml,
} from '../manifest/slack-manifest.ts';

// `npm run manifest`: checks the app manifests and writes the ones to install, with this deployment's URL.
const OUT_DIR = new URL('../../dist/manifest/', import.meta.url).pathname;
const publicUrl = process.env.PUBLIC_URL?.replace(/\/$/u, '');
const socketMode = Boolean(process.env.SLACK_APP_TOKEN);
let failed = false;

if (publicUrl !== undefined && !/^https?:\/\/[^\s/]+/u.test(publicUrl)) {
  process.stderr.write('manifest: PUBLIC_URL must be the http(s) URL where this server is reached\n');
  process.exit(2);
}

const committed = readSlackManifest();
const deployed = slackManifestFor(committed, { ...(publicUrl ? { publicUrl } : {}), socketMode });
const problems = [...new Set([...checkSlackManifest(committed), ...checkSlackManifest(deployed)])];
if (problems.length > 0) {
  failed = true;
  process.stderr.write(`✗ ${SLACK_MANIFEST_PATH}\n${problems.map((p) => `  - ${p}`).join('\n')}\n`);
} else {
  mkdirSync(OUT_DIR, { recursive: true });
  const out = join(OUT_DIR, 'slack-manifest.yaml');
  writeFileSync(out, toYaml(deployed));
  const how = socketMode
    ? 'Socket Mode (SLACK_APP_TOKEN is set)'
    : `requests to ${publicUrl ?? 'https://verify.example.com (set PUBLIC_URL)'}/slack/events`;
  process.stdout.write(`✓ Slack manifest is valid; ${out} is ready to paste, with ${how}\n`);
}

process.exit(failed ? 1 : 0);
