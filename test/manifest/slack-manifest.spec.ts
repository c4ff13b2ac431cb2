import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { expect } from 'chai';
import { parse } from 'yaml';
import {
  checkSlackManifest,
  PLACEHOLDER_URL,
  readSlackManifest,
  type SlackManifest,
  slackManifestFor,
} from '../../bots/manifest/slack-manifest.ts';

const ROOT = new URL('../../', import.meta.url).pathname;
const run = promisify(execFile);

describe('Slack manifest', () => {
  const committed = () => readSlackManifest();

  it('is valid against Slack’s manifest schema and has everything the app listens for', () => {
    expect(checkSlackManifest(committed())).to.deep.equal([]);
  });

  it('asks for the fewest bot scopes that work, and no user scopes', () => {
    const manifest = committed();
    expect(manifest.oauth_config?.scopes?.bot).to.have.members([
      'commands',
      'chat:write',
      'users:read',
      'users:read.email',
      'channels:read',
      'groups:read',
      'channels:history',
      'groups:history',
      'usergroups:read',
    ]);
    expect(manifest.oauth_config?.scopes).to.have.keys(['bot']);
  });

  it('names what is wrong with a broken manifest, by where it is', () => {
    const broken = committed() as SlackManifest & { display_information: { name: string } };
    broken.display_information.name = 'A name far too long for Slack to accept it';
    broken.features?.slash_commands?.splice(0, 1, { command: 'verify' });
    broken.settings?.event_subscriptions?.bot_events?.splice(0);
    const problems = checkSlackManifest(broken);
    expect(problems).to.include('/display_information/name must NOT have more than 35 characters');
    expect(problems).to.include('/features/slash_commands/0/command must match pattern "^\\/"');
    expect(problems).to.include('features.slash_commands must include /verify');
    expect(problems).to.include('settings.event_subscriptions.bot_events must include message.channels');
  });

  it('refuses request URLs that do not lead to /slack/events', () => {
    const manifest = committed();
    if (manifest.settings?.interactivity) manifest.settings.interactivity.request_url = 'https://x.example/interact';
    expect(checkSlackManifest(manifest)).to.deep.equal([
      'settings.interactivity.request_url must end with /slack/events (every Slack request goes there)',
    ]);
  });

  it('puts a deployment’s public URL in every request URL, or turns on Socket Mode without them', () => {
    const http = slackManifestFor(committed(), { publicUrl: 'https://verify.acme.io', socketMode: false });
    expect(checkSlackManifest(http)).to.deep.equal([]);
    const text = JSON.stringify(http);
    expect(text).not.to.contain(PLACEHOLDER_URL);
    expect(text.match(/https:\/\/verify\.acme\.io\/slack\/events/gu)).to.have.length(3);

    const socket = slackManifestFor(committed(), { socketMode: true });
    expect(checkSlackManifest(socket)).to.deep.equal([]);
    expect(socket.settings?.socket_mode_enabled).to.equal(true);
    expect(JSON.stringify(socket)).not.to.contain('request_url').and.not.to.contain(PLACEHOLDER_URL);
  });

  it('offers org-wide deployment on Enterprise Grid as an option, off by default', () => {
    expect(committed().settings?.org_deploy_enabled).to.equal(false);
    expect(slackManifestFor(committed(), { socketMode: false }).settings?.org_deploy_enabled).to.equal(false);
    const org = slackManifestFor(committed(), { publicUrl: 'https://verify.acme.io', socketMode: false, org: true });
    expect(org.settings?.org_deploy_enabled).to.equal(true);
    expect(checkSlackManifest(org), 'valid against Slack’s schema').to.deep.equal([]);
  });

  it('`npm run manifest -- --org` writes the org-wide manifest, and refuses an option it does not know', async () => {
    const env = { PATH: process.env.PATH ?? '', PUBLIC_URL: 'https://verify.acme.io' };
    const { stdout } = await run('npm', ['run', '-s', 'manifest', '--', '--org'], { cwd: ROOT, env });
    expect(stdout).to.contain('for the whole Enterprise Grid org');
    const written = parse(readFileSync(`${ROOT}dist/manifest/slack-manifest.yaml`, 'utf8')) as SlackManifest;
    expect(written.settings?.org_deploy_enabled).to.equal(true);
    const refused = await run('npm', ['run', '-s', 'manifest', '--', '--orgs'], { cwd: ROOT, env }).catch(
      (error: { code: number; stderr: string }) => error,
    );
    expect(refused).to.include({ code: 2 });
    expect((refused as { stderr: string }).stderr).to.contain('unknown option --orgs');
  });

  it('`npm run manifest` without PUBLIC_URL says what is missing and writes nothing ready-looking', async () => {
    const { stdout } = await run('npm', ['run', '-s', 'manifest'], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '' },
    });
    expect(stdout).to.contain('nothing written: set PUBLIC_URL').and.not.contain('ready to paste');
    expect(stdout).to.not.contain('verify.example.com');
    expect(existsSync(`${ROOT}dist/manifest/slack-manifest.yaml`)).to.equal(false);
  });

  it('`npm run manifest` writes the manifest to paste, and refuses a bad PUBLIC_URL', async () => {
    const env = { PATH: process.env.PATH ?? '', PUBLIC_URL: 'https://verify.acme.io/' };
    const { stdout } = await run('npm', ['run', '-s', 'manifest'], { cwd: ROOT, env });
    expect(stdout).to.contain('Slack manifest is valid');
    const written = parse(readFileSync(`${ROOT}dist/manifest/slack-manifest.yaml`, 'utf8')) as SlackManifest;
    expect(written.settings?.event_subscriptions?.request_url).to.equal('https://verify.acme.io/slack/events');
    expect(written.settings?.org_deploy_enabled).to.equal(false);

    const refused = await run('npm', ['run', '-s', 'manifest'], {
      cwd: ROOT,
      env: { ...env, PUBLIC_URL: 'ftp://nope' },
    }).catch((error: { code: number; stderr: string }) => error);
    expect(refused).to.include({ code: 2 });
    expect((refused as { stderr: string }).stderr).to.contain('PUBLIC_URL must be the http(s) URL');
  });
});
