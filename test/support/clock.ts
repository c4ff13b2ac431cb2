import type { Clock } from '../../core/ports/index.ts';

/** A clock the test moves by hand. Starts at a fixed, realistic instant. */
export class FakeClock implements Clock {
  constructor(private current = Date.parse('2026-11-24T10:00:00Z')) {}

  now(): number {
    return this.current;
  }

  advance(ms: number): void {
    this.current += ms;
  }

  set(epochMs: number): void {
    this.current = epochMs;
  }
}
