import type { Clock } from '../../clock.ts';

/**
 * Failed sign-ins per key (account, address) in a sliding window. In memory: one process's view,
 * which is enough to stop guessing at one desk; the identity issue moves it to the database.
 */
export class SignInThrottle {
  private readonly failures = new Map<string, number[]>();
  private readonly clock: Clock;
  private readonly max: number;
  private readonly windowMs: number;
  constructor(clock: Clock, max = 5, windowMs = 15 * 60_000) {
    this.clock = clock;
    this.max = max;
    this.windowMs = windowMs;
  }

  /** Seconds to wait before the next attempt for these keys, or 0. */
  retryAfter(keys: string[]): number {
    const now = this.clock().getTime();
    let wait = 0;
    for (const key of keys) {
      const recent = (this.failures.get(key) ?? []).filter((t) => now - t < this.windowMs);
      this.failures.set(key, recent);
      if (recent.length >= this.max) wait = Math.max(wait, Math.ceil((recent[0]! + this.windowMs - now) / 1000));
    }
    return wait;
  }

  fail(keys: string[]): void {
    const now = this.clock().getTime();
    for (const key of keys) this.failures.set(key, [...(this.failures.get(key) ?? []), now]);
  }

  succeed(keys: string[]): void {
    for (const key of keys) this.failures.delete(key);
  }
}
