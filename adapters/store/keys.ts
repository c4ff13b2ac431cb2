import { createHash } from 'node:crypto';

/**
 * Key layout. The braces are Redis Cluster hash tags: every key an atomic script touches shares one tag,
 * so each script stays in one slot on Cluster and behind Sentinel alike.
 */
export const storeKeys = {
  session: (id: string) => `sv:{s:${id}}`,
  scoped: (scope: string, name: string) => `sv:{${scope}}:${name}`,
  // Claimed ids (Slack trigger ids, Teams activity ids) can be long; a digest keeps every claim key short.
  claim: (key: string) => `sv:{c:${createHash('sha256').update(key).digest('base64url').slice(0, 22)}}`,
  auditStream: 'sv:{audit}:stream',
  deadlines: (kind: string, shard: number) => `sv:{deadlines:${kind}:${shard}}`,
  busChannel: 'sv:session-updated',
  chatChannel: 'sv:chat',
} as const;
