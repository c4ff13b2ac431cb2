export { FINDING_KINDS, type Finding } from './findings.ts';
export {
  armsFromOtherLine,
  type FollowUp,
  findSecrets,
  type InboundScan,
  MAX_SCAN_CHARS,
  type MarkerLocale,
  PIN_MASK,
  REDACTED_MARKER,
  type ScanOptions,
  type SecretSpan,
  scanInbound,
  UNREAD_MARKER,
} from './inbound.ts';
export { asksForSecret, assertSafeOutbound } from './outbound.ts';
