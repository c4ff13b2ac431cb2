import { Ajv } from 'ajv';
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

const profileSchema = {
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
}

/**
 * {@link Accounts} over a company's own directory service:
 * `GET {base}/accounts?lookup=<query>` and `GET {base}/accounts/{id}`, each answering one profile as JSON
 * (schema above) or 404. Every answer is validated before anything uses it.
 */
export class HttpAccounts implements Accounts {
  private readonly validate = new Ajv({ allErrors: true }).compile<LimitedProfile>(profileSchema);
  private readonly fetch: typeof fetch;

  constructor(private readonly options: HttpAccountsOptions) {
    this.fetch = options.fetch ?? fetch;
  }

  async find(query: string): Promise<AccountSummary | undefined> {
    const profile = await this.request(`accounts?lookup=${encodeURIComponent(query.trim())}`);
    return profile && toSummary(profile);
  }

  async summary(accountId: string): Promise<AccountSummary | undefined> {
    const profile = await this.request(`accounts/${encodeURIComponent(accountId)}`);
    return profile && toSummary(profile);
  }

  async profile(accountId: string): Promise<LimitedProfile | undefined> {
    return this.request(`accounts/${encodeURIComponent(accountId)}`);
  }

  private async request(path: string): Promise<LimitedProfile | undefined> {
    const url = new URL(path, this.options.baseUrl.endsWith('/') ? this.options.baseUrl : `${this.options.baseUrl}/`);
    const response = await this.fetch(url, {
      headers: { accept: 'application/json' },
      signal: AbortSignal.timeout(this.options.timeoutMs ?? 3000),
    });
    if (response.status === 404) return undefined;
    if (!response.ok) throw new Error(`account directory answered ${response.status}`);
    const body: unknown = await response.json();
    if (!this.validate(body)) {
      throw new Error(`account directory sent an invalid profile: ${this.validate.errors?.[0]?.message ?? 'unknown'}`);
    }
    return body;
  }
}
