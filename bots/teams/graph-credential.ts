import {
  ClientCertificateCredential,
  ClientSecretCredential,
  ManagedIdentityCredential,
  type TokenCredential,
  type TokenCredentialOptions,
} from '@azure/identity';

/** The bot's own Entra ID registration, as the Bot Framework variables describe it. */
export interface BotRegistration {
  appId?: string;
  appType?: string;
  tenantId?: string;
  appPassword?: string;
  /** PEM holding the certificate and its private key (`CertificatePrivateKey`). */
  certificate?: string;
}

export interface GraphCredentialOptions extends Pick<TokenCredentialOptions, 'additionalPolicies'> {
  /** Entra ID's login host; tests point it at a double (it must be https). */
  authorityHost?: string;
}

/**
 * The credential Microsoft Graph is asked with, chosen as `MicrosoftAppType` says: a user-assigned managed
 * identity, or the app's certificate or client secret. A multi-tenant app asks for a token in the agent's own
 * tenant; a single-tenant one only in its own. Undefined without credentials: group checks then deny.
 */
export function graphCredential(
  bot: BotRegistration,
  options: GraphCredentialOptions = {},
): TokenCredential | undefined {
  if (!bot.appId) return undefined;
  if (bot.appType === 'UserAssignedMSI') return new ManagedIdentityCredential({ clientId: bot.appId });
  const singleTenant = bot.appType === 'SingleTenant';
  const common = {
    ...options,
    ...(options.authorityHost ? { disableInstanceDiscovery: true } : {}),
    additionallyAllowedTenants: singleTenant ? [] : ['*'],
  };
  // A multi-tenant app has a home tenant of its own, but asks in each agent's; "organizations" stands for it.
  const tenant = bot.tenantId || 'organizations';
  if (bot.certificate)
    return new ClientCertificateCredential(tenant, bot.appId, { certificate: bot.certificate }, common);
  if (bot.appPassword) return new ClientSecretCredential(tenant, bot.appId, bot.appPassword, common);
  return undefined;
}
