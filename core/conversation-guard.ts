import { armsFromOtherLine, type FollowUp, type InboundScan, type MarkerLocale, scanInbound } from './guard/index.ts';
import type { Clock, SessionStore } from './ports/index.ts';

/** How long a line's arming lasts: the next line must come within a minute. */
export const FOLLOW_UP_MS = 60_000;
const FLAG = 'guard';

/** One arming and when it ends (ms since the epoch). */
interface Armed {
  f: FollowUp;
  u: number;
}

/** What a conversation remembers for the guard: per speaker what their last line armed, and what others armed. */
interface GuardMemory {
  /** Speaker → what their previous line armed. */
  s: Record<string, Armed>;
  /** What someone else's line (the agent's) armed for the customer's next lines. */
  o?: Armed;
}

export interface GuardedLineOptions {
  expectingPin?: boolean;
  locale?: MarkerLocale;
  /** The line is the agent's, in a conversation the customer shares: what it names also arms the customer. */
  armsOthers?: boolean;
}

/**
 * The guard with a conversation's memory: a line that ends on a secret word ("my password is", "mijn ww?")
 * makes the same person's next line, within a minute, read as its value; a security question named by the
 * agent makes the customer's answers that follow read as answers. Only what was armed is kept (a kind, a
 * flag, an expiry), never any text.
 */
export class ConversationGuard {
  constructor(
    private readonly store: SessionStore,
    private readonly clock: Clock,
  ) {}

  /** Scans a line from `speaker` in the conversation `scope`, with what the lines before it armed. */
  async line(scope: string, speaker: string, text: string, options: GuardedLineOptions = {}): Promise<InboundScan> {
    const now = this.clock.now();
    const memory = live(await this.read(scope), now);
    const after = merge(memory.s[speaker]?.f, memory.o?.f);
    const { armsOthers, ...scanOptions } = options;
    const scan = scanInbound(text, { ...scanOptions, after });
    const forOthers = armsOthers ? armsFromOtherLine(text) : null;
    const o = forOthers ? { f: forOthers, u: now + FOLLOW_UP_MS } : memory.o;
    const next: GuardMemory = { s: { ...memory.s }, ...(o ? { o } : {}) };
    if (scan.followUp) next.s[speaker] = { f: scan.followUp, u: now + FOLLOW_UP_MS };
    else delete next.s[speaker];
    await this.write(scope, memory, next, now);
    return scan;
  }

  /** A line the guard does not scan (an agent's): a security question or a secret it names arms the customer. */
  async otherLine(scope: string, text: string): Promise<void> {
    const arms = armsFromOtherLine(text);
    if (!arms) return;
    const now = this.clock.now();
    const memory = live(await this.read(scope), now);
    await this.write(scope, memory, { s: memory.s, o: { f: arms, u: now + FOLLOW_UP_MS } }, now);
  }

  private async read(scope: string): Promise<GuardMemory | undefined> {
    // The memory only adds to what one line shows: without the store, the line is still scanned whole.
    const raw = await this.store.getFlag(scope, FLAG).catch(() => undefined);
    if (!raw) return undefined;
    try {
      const parsed = JSON.parse(raw) as GuardMemory;
      return parsed && typeof parsed === 'object' && parsed.s && typeof parsed.s === 'object' ? parsed : undefined;
    } catch {
      return undefined;
    }
  }

  private async write(scope: string, before: GuardMemory, next: GuardMemory, now: number): Promise<void> {
    const ends = [...Object.values(next.s), ...(next.o ? [next.o] : [])].map((a) => a.u);
    if (JSON.stringify(before) === JSON.stringify(next)) return;
    if (ends.length === 0) await this.store.clearFlag(scope, FLAG).catch(() => false);
    else
      await this.store
        .setFlag(scope, FLAG, JSON.stringify(next), Math.max(1, Math.max(...ends) - now))
        .catch(() => undefined);
  }
}

/** The memory without what has run out. */
function live(memory: GuardMemory | undefined, now: number): GuardMemory {
  const s: Record<string, Armed> = {};
  for (const [speaker, armed] of Object.entries(memory?.s ?? {})) if (armed && armed.u > now) s[speaker] = armed;
  return memory?.o && memory.o.u > now ? { s, o: memory.o } : { s };
}

function merge(a: FollowUp | undefined, b: FollowUp | undefined): FollowUp | undefined {
  if (!a) return b;
  if (!b) return a;
  return { ...b, ...a, ...(a.security || b.security ? { security: true } : {}) };
}
