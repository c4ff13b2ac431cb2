import { Ajv } from 'ajv';
import { DirectoryUnavailableError } from '../../core/errors.ts';
import type { AccountSummary, Accounts, LimitedProfile } from '../../core/ports/index.ts';
import { toSummary } from './demo-accounts.ts';

const device = {
  type: 'object',
  required: ['id', 'name', 'kind', 'trusted', 'model', 'serial'],
  properties: {
    id: { type: 'string', minLength: 1, maxLength: 200 },
    name: { type: 'string', minLength: 1, maxLength: 200 },
    kind: { enum: ['phone', 'tablet', 'laptop', 'desktop', 'watch', 'other'] },
    trusted: { type: 'boolean' },
    model: { type: 'string', maxLength: 200 },
    serial: { type: 'string', maxLength: 100 },
  },
} as const;

/** What the directory answers for one account; every answer is checked against it before use. */
export const ACCOUNT_PROFILE_SCHEMA = {
  type: 'object',
  required: ['id', 'displayName', 'email', 'locale', 'memberSince', 'plan', 'devices'],
  properties: {
    id: { type: 'string', minLength: 1, maxLength: 200 },
    displayName: { type: 'string', minLength: 1, maxLength: 200 },
    email: { type: 'string', minLength: 3, maxLength: 320 },
    locale: { enum: ['en', 'nl'] },
    memberSince: { type: 'string', maxLength: 40 },
    plan: { type: 'string', maxLength: 100 },
    devices: { type: 'array', maxItems: 50, items: device },
  },
} as const;

export interface HttpAccountsOptions {
  /** Base URL of the company's directory service, e.g. `https://directory.internal/v1`. */
  baseUrl: string;
  timeoutMs?: number;
  fetch?: typeof fetch;
  /** How long a fetched profile is reused; one verification reads the same account several times. */
  cacheMs?: number;
  /** Most profiles kept at once; the oldest goes first. */
  cacheSize?: number;
  now?(): number;
}

/**
 * {@link Accounts} over a company's own directory service:
 * `GET {base}/accounts?lookup=<query>` and `GET {base}/accounts/{id}`, each answering one profile as JSON
 * (schema above) or 404. Every answer is validated before anything uses it.
 *
 * A verification reads its account several times within a minute (lookup, card, prompt, grant, email), so
 * profiles are kept for `cacheMs` (30 s) per replica, and concurrent reads of one account share a request.
 */
export class HttpAccounts implements Accounts {
  private readonly validate = new Ajv({ allErrors: true }).compile<LimitedProfile>(ACCOUNT_PROFILE_SCHEMA);
  private readonly fetch: typeof fetch;
  private readonly cache = new Map<string, { at: number; profile: Promise<LimitedProfile | undefined> }>();
  private readonly now: () => number;

  constructor(private readonly options: HttpAccountsOptions) {
    this.fetch = options.fetch ?? fetch;
    this.now = options.now ?? Date.now;
  }

  async find(query: string): Promise<AccountSummary | undefined> {
    const profile = await this.request(`accounts?lookup=${encodeURIComponent(query.trim())}`);
    if (profile) this.remember(profile.id, Promise.resolve(profile));
    return profile && toSummary(profile);
  }

  async summary(accountId: string): Promise<AccountSummary | undefined> {
    const profile = await this.profile(accountId);
    return profile && toSummary(profile);
  }

  async profile(accountId: string): Promise<LimitedProfile | undefined> {
    const cached = this.cache.get(accountId);
    if (cached && this.now() - cached.at < (this.options.cacheMs ?? 30_000)) {
      const profile = await cached.profile;
      return profile && structuredClone(profile);
    }
    const fetched = this.request(`accounts/${encodeURIComponent(accountId)}`);
    this.remember(accountId, fetched);
    // A failed request is not remembered: the next read asks again.
    fetched.catch(() => {
      if (this.cache.get(accountId)?.profile === fetched) this.cache.delete(accountId);
    });
    const profile = await fetched;
    return profile && structuredClone(profile);
  }

  private remember(accountId: string, profile: Promise<LimitedProfile | undefined>): void {
    this.cache.delete(accountId);
    this.cache.set(accountId, { at: this.now(), profile });
    const limit = this.options.cacheSize ?? 1000;
    for (const oldest of this.cache.keys()) {
      if (this.cache.size <= limit) break;
      this.cache.delete(oldest);
    }
  }

  private async request(path: string): Promise<LimitedProfile | undefined> {
    const url = new URL(path, this.options.baseUrl.endsWith('/') ? this.options.baseUrl : `${this.options.baseUrl}/`);
    let response: Response;
    try {
      response = await this.fetch(url, {
        headers: { accept: 'application/json' },
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 3000),
      });
    } catch (error) {
      // The name only (TimeoutError, TypeError for a refused connection): the URL holds what the agent typed.
      throw new DirectoryUnavailableError(`account directory did not answer (${(error as Error).name})`, {
        cause: error,
      });
    }
    if (response.status === 404) return undefined;
    if (!response.ok) throw new DirectoryUnavailableError(`account directory answered ${response.status}`);
    let body: unknown;
    try {
      body = await response.json();
    } catch {
      throw new DirectoryUnavailableError('account directory sent a body that is not JSON');
    }
    if (!this.validate(body)) {
      throw new DirectoryUnavailableError(
        `account directory sent an invalid profile: ${this.validate.errors?.[0]?.message ?? 'unknown'}`,
      );
    }
    return body;
  }
}
