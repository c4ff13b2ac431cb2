import { readFile } from 'node:fs/promises';
import { DEMO_DIRECTORY } from '../../adapters/accounts/demo-accounts.ts';
import { normalizeLookup } from '../../adapters/accounts/lookup.ts';
import type { LimitedProfile } from '../../core/ports/index.ts';
import { RecordingServer } from './recording-server.ts';

/** A company directory service serving the demo file under `/v1`, as `ACCOUNTS_URL` expects; not started. */
export async function directoryDouble(): Promise<RecordingServer> {
  const directory = JSON.parse(await readFile(DEMO_DIRECTORY, 'utf8')) as {
    accounts: Array<LimitedProfile & { phone: string }>;
  };
  const server = new RecordingServer();
  server.reply = ({ url }) => {
    const parsed = new URL(url, 'http://x');
    const id = /^\/v1\/accounts\/([^/]+)$/u.exec(parsed.pathname)?.[1];
    const lookup = parsed.searchParams.get('lookup');
    const wanted = lookup ? normalizeLookup(lookup) : undefined;
    const found = directory.accounts.find((a) =>
      id
        ? a.id === decodeURIComponent(id)
        : wanted && (a.id === wanted.id || a.email === wanted.email || a.phone === wanted.phone),
    );
    if (!found) return { status: 404, body: { error: 'not found' } };
    const { phone: _phone, ...profile } = found;
    return { status: 200, body: profile };
  };
  return server;
}
