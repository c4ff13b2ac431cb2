import type { Logger } from 'pino';
import type { PromptLinks } from '../core/passkey-prompts.ts';
import type { Accounts, Clock, SessionStore } from '../core/ports/index.ts';
import type { Verification } from '../core/verification.ts';

/** What every front door (Slack, Teams, web chat) is built from, besides its own platform's settings. */
export interface FrontDoorDeps {
  production: boolean;
  company: string;
  pinMinutes: number;
  verification: Verification;
  store: SessionStore;
  accounts: Accounts;
  clock: Clock;
  logger: Logger;
  /** With the built-in passkeys: each pending prompt's confirmation link, for the customer's side of a chat. */
  promptLinks?: Pick<PromptLinks, 'urlFor'>;
}
