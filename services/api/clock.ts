// Time is injected everywhere so rules and tests can travel in time; only this file reads the wall clock.
export type Clock = () => Date;
export const systemClock: Clock = () => new Date();
export function fixedClock(start: Date | string): Clock & { set(d: Date | string): void; advance(ms: number): void } {
  let now = new Date(start);
  const clock = (() => new Date(now)) as Clock & { set(d: Date | string): void; advance(ms: number): void };
  clock.set = (d) => { now = new Date(d); };
  clock.advance = (ms) => { now = new Date(now.getTime() + ms); };
  return clock;
}
