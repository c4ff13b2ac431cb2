import { createHash, timingSafeEqual } from 'node:crypto';
import type { Request } from 'restify';
import type { ClientAddresses } from '../../adapters/http/client-address.ts';
import type { RefusalTally } from '../../core/refusal-tally.ts';
import { bearerToken } from '../http/handler.ts';
import { HttpError } from '../http/responses.ts';

/** The company's portal backend, known by one of `PORTAL_API_KEYS` as a bearer token. */
export class PortalKeys {
  private readonly digests: Buffer[];

  constructor(
    keys: readonly string[],
    private readonly refusals: RefusalTally,
    private readonly clients: ClientAddresses,
  ) {
    this.digests = keys.map(digest);
  }

  /**
   * The store scope of the key the request presents (`p:` and a digest: the key itself is never stored), for
   * counting per key; a missing or wrong key is a 401, counted per source.
   */
  scopeOf(req: Request): string {
    const token = bearerToken(req);
    const presented = token ? digest(token) : undefined;
    if (!presented || !matchesAnyKey(presented, this.digests)) {
      // Counted, not audited one by one: whoever sends a bad key proved nothing, and could flood the trail.
      this.refusals.refused('portal_key_rejected', this.clients.of(req));
      throw new HttpError(401, 'unauthorized', 'a valid portal API key is required', {
        'www-authenticate': 'Bearer realm="support-verify"',
      });
    }
    return `p:${presented.toString('hex').slice(0, 32)}`;
  }
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}

/** Compares against every key, without stopping at the first match, so timing says nothing about which. */
function matchesAnyKey(candidate: Buffer, keys: readonly Buffer[]): boolean {
  let matched = false;
  for (const key of keys) matched = timingSafeEqual(candidate, key) || matched;
  return matched;
}
