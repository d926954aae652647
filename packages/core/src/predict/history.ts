/** The last `capacity` values of a series, oldest overwritten first; `back(k)` is the value k rows before the newest. */
export class History {
  private readonly ring: Float64Array;
  private head = 0;
  private filled = 0;

  constructor(readonly capacity: number) {
    this.ring = new Float64Array(capacity);
  }

  push(value: number): void {
    this.ring[this.head] = value;
    this.head = (this.head + 1) % this.capacity;
    if (this.filled < this.capacity) this.filled++;
  }

  /** Values kept. */
  get length(): number {
    return this.filled;
  }

  /** The value k rows before the newest (k = 0: the newest); NaN beyond what is kept. */
  back(k: number): number {
    if (k < 0 || k >= this.filled) return Number.NaN;
    return this.ring[(this.head - 1 - k + 2 * this.capacity) % this.capacity];
  }

  /** The newest `count` values (at most what is kept), oldest first. */
  latest(count: number): Float64Array {
    const c = Math.min(count, this.filled);
    const out = new Float64Array(c);
    for (let i = 0; i < c; i++) out[i] = this.back(c - 1 - i);
    return out;
  }
}
