import { asksForSecret, MAX_SCAN_CHARS, scanInbound } from '../core/guard/index.ts';
import { adversarialInputs, loadInbound, loadOutbound } from '../test/support/guard-corpus.ts';

/** The guard's figures in the bench's JSON line. */
export interface GuardFigures {
  /** Ordinary chat: the corpus's ordinary support lines (group benign-chat), each scanned as one message. */
  guardMBps: number;
  /** The harmless look-alikes: every harmless line, most of them written to look like a secret. */
  guardLookAlikesMBps: number;
  /** Every line of the corpus, secrets and all. */
  guardAllLinesMBps: number;
  /** The slowest purpose-made input, in ms per 10 KB of what is read (a message is read up to MAX_SCAN_CHARS). */
  guardWorstMsPer10KB: number;
  guardWorstInput: string;
  /** The outbound check over the outbound corpus. */
  outboundMBps: number;
}

const FILES = ['inbound-en.json', 'inbound-nl.json', 'inbound-mixed.json', 'inbound-mixed-2.json'];

function mbPerSecond(lines: string[], work: (line: string) => unknown, seconds: number): number {
  const bytes = lines.reduce((sum, line) => sum + Buffer.byteLength(line), 0);
  // A running server's guard has read many messages: measure it warm.
  const warmUntil = performance.now() + 1000;
  while (performance.now() < warmUntil) for (const line of lines) work(line);
  let rounds = 0;
  const started = performance.now();
  while (performance.now() - started < seconds * 1000) {
    for (const line of lines) work(line);
    rounds++;
  }
  return (rounds * bytes) / 1e6 / ((performance.now() - started) / 1000);
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

/** Measures the guard in this process: throughput on chat text, the worst time per 10 KB on made-up input. */
export function measureGuard(seconds = 2): GuardFigures {
  const inbound = loadInbound(...FILES);
  const ordinary = inbound.filter((c) => c.group === 'benign-chat').map((c) => c.text);
  const harmless = inbound.filter((c) => c.secrets.length === 0 && !c.expectingPin).map((c) => c.text);
  const everyLine = inbound.map((c) => c.text);
  const outbound = loadOutbound('outbound.json', 'outbound-mixed.json', 'outbound-mixed-2.json').map((c) => c.text);

  // Ordinary chat first: it is what a server mostly reads, and what its compiled code is shaped by.
  const guardMBps = mbPerSecond(ordinary, (line) => scanInbound(line), seconds);
  const guardLookAlikesMBps = mbPerSecond(harmless, (line) => scanInbound(line), seconds);
  const guardAllLinesMBps = mbPerSecond(everyLine, (line) => scanInbound(line), seconds);
  const outboundMBps = mbPerSecond(outbound, (line) => asksForSecret(line), seconds);
  let worst = 0;
  let worstInput = '';
  for (const line of everyLine) scanInbound(line);
  for (const [name, text] of Object.entries(adversarialInputs())) {
    for (let i = 0; i < 5; i++) scanInbound(text);
    const times: number[] = [];
    for (let i = 0; i < 7; i++) {
      const started = performance.now();
      scanInbound(text);
      times.push(performance.now() - started);
    }
    const per10KB = (median(times) / Math.min(text.length, MAX_SCAN_CHARS)) * 10_000;
    if (per10KB > worst) {
      worst = per10KB;
      worstInput = name;
    }
  }
  return {
    guardMBps,
    guardLookAlikesMBps,
    guardAllLinesMBps,
    guardWorstMsPer10KB: worst,
    guardWorstInput: worstInput,
    outboundMBps,
  };
}
