import { execFile } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { expect } from 'chai';
import JSZip from 'jszip';
import {
  checkTeamsManifest,
  PLACEHOLDER_APP_ID,
  readTeamsManifest,
  TEAMS_DIR,
  type TeamsManifest,
  teamsManifestFor,
  teamsPackage,
} from '../../bots/manifest/teams-manifest.ts';

const ROOT = new URL('../../', import.meta.url).pathname;
const run = promisify(execFile);
const APP_ID = '5a3e9c1b-0000-4000-8000-00000000b071';

describe('Teams manifest', () => {
  it('is valid against the manifest 1.24 schema, with the bot in every scope, the message action and both icons', () => {
    const manifest = readTeamsManifest();
    expect(manifest.manifestVersion).to.equal('1.24');
    expect(checkTeamsManifest(manifest)).to.deep.equal([]);
  });

  it('names what is wrong: schema violations, a missing message action, icons of the wrong size', () => {
    const dir = `${mkdtempSync(join(tmpdir(), 'sv-teams-'))}/`;
    try {
      copyFileSync(`${TEAMS_DIR}color.png`, `${dir}outline.png`);
      copyFileSync(`${TEAMS_DIR}color.png`, `${dir}color.png`);
      const broken = readTeamsManifest() as TeamsManifest & { description: { short: string } };
      broken.description.short = 'x'.repeat(81);
      broken.composeExtensions = [];
      const problems = checkTeamsManifest(broken, dir);
      expect(problems).to.include('/description/short must NOT have more than 80 characters');
      expect(problems).to.include('composeExtensions must declare the message action verifyCustomer');
      expect(problems).to.include('icons.outline must be 32×32, not 192×192');
      writeFileSync(`${dir}color.png`, 'not a png');
      expect(checkTeamsManifest(readTeamsManifest(), dir)).to.include('icons.color (color.png) must be a PNG file');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('can read chat and channel messages without an @mention, and runs in shared and private channels', () => {
    const manifest = readTeamsManifest();
    expect(manifest.authorization?.permissions?.resourceSpecific).to.deep.include.members([
      { name: 'ChatMessage.Read.Chat', type: 'Application' },
      { name: 'ChannelMessage.Read.Group', type: 'Application' },
    ]);
    expect(manifest.webApplicationInfo?.id).to.equal(manifest.id);
    expect(manifest.supportedChannelTypes).to.have.members(['sharedChannels', 'privateChannels']);

    const noApp = readTeamsManifest();
    delete noApp.webApplicationInfo;
    noApp.supportedChannelTypes = ['privateChannels'];
    if (noApp.authorization?.permissions) noApp.authorization.permissions.resourceSpecific = [];
    expect(checkTeamsManifest(noApp)).to.include.members([
      'webApplicationInfo.id must be the app id (RSC is granted to that Entra app)',
      'webApplicationInfo.resource must be set (RSC ignores it, but Teams refuses the app without it)',
      'supportedChannelTypes must include sharedChannels (customers are met in shared channels)',
      'authorization.permissions.resourceSpecific must include ChatMessage.Read.Chat (Application)',
      'authorization.permissions.resourceSpecific must include ChannelMessage.Read.Group (Application)',
    ]);
    const otherApp = readTeamsManifest();
    otherApp.webApplicationInfo = { id: APP_ID, resource: 'api://x' };
    expect(checkTeamsManifest(otherApp)).to.include(
      'webApplicationInfo.id must be the app id (RSC is granted to that Entra app)',
    );
  });

  it('fills in the app id everywhere the app is named, and the public host as the valid domain', () => {
    const deployed = teamsManifestFor(readTeamsManifest(), { appId: APP_ID, publicUrl: 'https://verify.acme.io' });
    expect(checkTeamsManifest(deployed)).to.deep.equal([]);
    expect(JSON.stringify(deployed)).not.to.contain(PLACEHOLDER_APP_ID);
    expect(deployed.bots?.[0]?.botId).to.equal(APP_ID);
    expect(deployed.webApplicationInfo).to.deep.equal({ id: APP_ID, resource: `api://botid-${APP_ID}` });
    expect(deployed.validDomains).to.deep.equal(['verify.acme.io']);
    expect(() => teamsManifestFor(readTeamsManifest(), { appId: 'not-a-guid' })).to.throw('a GUID');
  });

  it('puts the public host, or the company’s own pages, in every developer link', () => {
    const deployed = teamsManifestFor(readTeamsManifest(), { appId: APP_ID, publicUrl: 'https://verify.acme.io/' });
    expect(deployed.developer).to.deep.include({
      websiteUrl: 'https://verify.acme.io/',
      privacyUrl: 'https://verify.acme.io/privacy',
      termsOfUseUrl: 'https://verify.acme.io/terms',
    });
    expect(JSON.stringify(deployed)).to.not.contain('verify.example.com');
    const own = teamsManifestFor(readTeamsManifest(), {
      appId: APP_ID,
      publicUrl: 'https://verify.acme.io',
      privacyUrl: 'https://acme.io/legal/privacy',
      termsOfUseUrl: 'https://acme.io/legal/terms',
    });
    expect(own.developer).to.deep.include({
      privacyUrl: 'https://acme.io/legal/privacy',
      termsOfUseUrl: 'https://acme.io/legal/terms',
    });
    expect(checkTeamsManifest(own)).to.deep.equal([]);
  });

  it('packages manifest.json and both icons at the top of the zip', async () => {
    const deployed = teamsManifestFor(readTeamsManifest(), { appId: APP_ID });
    const zip = await JSZip.loadAsync(await teamsPackage(deployed));
    expect(Object.keys(zip.files).sort()).to.deep.equal(['color.png', 'manifest.json', 'outline.png']);
    const inside = JSON.parse((await zip.file('manifest.json')?.async('string')) ?? '{}') as TeamsManifest;
    expect(inside.id).to.equal(APP_ID);
    expect(checkTeamsManifest(inside)).to.deep.equal([]);
  });

  it('`npm run manifest` builds the upload zip with MicrosoftAppId, and refuses a bad one', async () => {
    const env = { PATH: process.env.PATH ?? '', MicrosoftAppId: APP_ID, PUBLIC_URL: 'https://verify.acme.io' };
    const { stdout } = await run('npm', ['run', '-s', 'manifest'], { cwd: ROOT, env });
    expect(stdout).to.contain('Teams manifest is valid');
    const zip = await JSZip.loadAsync(readFileSync(`${ROOT}dist/manifest/support-verify-teams.zip`));
    const inside = (await zip.file('manifest.json')?.async('string')) ?? '';
    expect(inside)
      .to.contain(APP_ID)
      .and.contain('https://verify.acme.io/privacy')
      .and.not.contain('verify.example.com');
    const withoutUrl = await run('npm', ['run', '-s', 'manifest'], {
      cwd: ROOT,
      env: { PATH: env.PATH, MicrosoftAppId: APP_ID },
    });
    expect(withoutUrl.stdout).to.contain('nothing written: set PUBLIC_URL to build the upload zip');
    expect(existsSync(`${ROOT}dist/manifest/support-verify-teams.zip`)).to.equal(false);
    const refused = await run('npm', ['run', '-s', 'manifest'], {
      cwd: ROOT,
      env: { ...env, MicrosoftAppId: 'bot' },
    }).catch((error: { code: number; stderr: string }) => error);
    expect(refused).to.include({ code: 2 });
    expect((refused as { stderr: string }).stderr).to.contain('MicrosoftAppId must be');
  });
});
