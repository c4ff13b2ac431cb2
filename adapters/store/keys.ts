/**
 * Key layout. The braces are Redis Cluster hash tags: every key an atomic script touches shares one tag,
 * so each script stays in one slot on Cluster and behind Sentinel alike.
 */
export const storeKeys = {
  session: (id: string) => `sv:{s:${id}}`,
  scoped: (scope: string, name: string) => `sv:{${scope}}:${name}`,
  claim: (key: string) => `sv:{c:${key}}`,
  auditStream: 'sv:{audit}:stream',
  busChannel: 'sv:session-updated',
  chatChannel: 'sv:chat',
} as const;
