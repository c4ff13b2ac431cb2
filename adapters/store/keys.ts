import { createHash, randomUUID } from 'node:crypto';
import { hashSlot, tagForSlot } from './slots.ts';

// A session id minted beside a scope: a UUID and the four-character tag of the scope's hash slot. Any other id
// (a bare UUID, as every id was before, or a test's) keeps the session in a slot of its own.
const PLACED_ID = /^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})-([a-z][0-9a-z]{3})$/u;

/**
 * Key layout. The braces are Redis Cluster hash tags: every key an atomic script touches shares one tag,
 * so each script stays in one slot on Cluster and behind Sentinel alike.
 */
export const storeKeys = {
  session: (id: string) => {
    const placed = PLACED_ID.exec(id);
    return placed ? `sv:{${placed[2]}}:s:${placed[1]}` : `sv:{s:${id}}`;
  },
  /** The session's render turn: always in its session's slot. */
  turn: (id: string) => {
    const placed = PLACED_ID.exec(id);
    return placed ? `sv:{${placed[2]}}:t:${placed[1]}` : `sv:{s:${id}}:turn`;
  },
  scoped: (scope: string, name: string) => `sv:{${scope}}:${name}`,
  // Claimed ids (Slack trigger ids, Teams activity ids) can be long; a digest keeps every claim key short.
  claim: (key: string) => `sv:{c:${createHash('sha256').update(key).digest('base64url').slice(0, 22)}}`,
  auditStream: 'sv:{audit}:stream',
  deadlines: (kind: string, shard: number) => `sv:{deadlines:${kind}:${shard}}`,
  busChannel: 'sv:session-updated',
  chatChannel: 'sv:chat',
} as const;

/**
 * A new session id whose session shares a hash slot with `scope`'s keys (the account's counters, holds and
 * grants), so that on Redis Cluster a transition and the account's allowance are one script, as on one server.
 */
export function sessionIdBeside(scope: string): string {
  return `${randomUUID()}-${tagForSlot(hashSlot(storeKeys.scoped(scope, '')))}`;
}
