export { FINDING_KINDS, type Finding, type InboundScan, PIN_MASK, REDACTED, scanInbound } from './inbound.ts';
export { asksForSecret, assertSafeOutbound } from './outbound.ts';
