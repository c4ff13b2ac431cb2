/** The kinds of secret a customer must never share, and the bot must never ask for. */
export type Finding = 'password' | 'verification_code' | 'recovery_key' | 'security_answer';

export const FINDING_KINDS: readonly Finding[] = ['password', 'verification_code', 'recovery_key', 'security_answer'];
