// A small LRU of search answers, valid for one index generation (search_generation_seq, bumped
// after every committed index change) and at most `ttlMs` (a bound on staleness should a process die
// between committing an index change and bumping the generation). Popular queries are the broad
// ones, the most expensive to answer, and they repeat: caching them is what keeps the embedded
// default within its latency budget when several clients queue on PGlite's single backend.

export class AnswerCache<T> {
  private readonly entries = new Map<string, { generation: bigint | string; at: number; value: T }>();
  private readonly capacity: number;
  private readonly ttlMs: number;
  private readonly now: () => number;
  hits = 0;
  misses = 0;

  constructor(capacity = 1000, ttlMs = 30_000, now: () => number = () => performance.now()) {
    this.capacity = capacity;
    this.ttlMs = ttlMs;
    this.now = now;
  }

  get(key: string, generation: bigint | string): T | undefined {
    const e = this.entries.get(key);
    if (!e || e.generation !== generation || this.now() - e.at > this.ttlMs) {
      if (e) this.entries.delete(key);
      this.misses++;
      return undefined;
    }
    this.entries.delete(key); // most recently used goes last
    this.entries.set(key, e);
    this.hits++;
    return e.value;
  }

  set(key: string, generation: bigint | string, value: T): void {
    this.entries.delete(key);
    this.entries.set(key, { generation, at: this.now(), value });
    if (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value!);
  }

  get size(): number { return this.entries.size; }
}
