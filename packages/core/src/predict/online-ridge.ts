import {
  addGram,
  createGram,
  createGramKernel,
  type Gram,
  type GramKernel,
  predictReadout,
  type RidgeReadout,
  ridgeScale,
  scaleGram,
  solveRidge,
} from "../readout";

/**
 * A ridge readout learned online for a reservoir predictor: training rows arrive one by one (a forecast's features
 * and, `horizon` rows later, its target) and are summed in blocks by the SIMD XᵀX kernel; the readout is solved again
 * at each refit. Each refit solves several candidates — every ridge strength on two memories, all rows since the
 * start and recent rows (older statistics halved at each refit) — and the candidate used until the next refit is the
 * one whose forecasts since the previous refit were best out of sample. So neither the ridge nor how fast the
 * readout forgets is tuned per series by hand: the series' own recent errors choose.
 */
export interface OnlineRidgeOptions {
  features: number;
  /** Ridge strengths relative to the mean feature variance (default 1e-6, 1e-4, 1e-2). */
  ridges?: readonly number[];
  /** Weight of the recent memory's older statistics at each refit (default 0.5). */
  recentDecay?: number;
  /** Rows per block given to the XᵀX kernel (default 64). */
  block?: number;
}

export class OnlineRidge {
  readonly features: number;
  readonly ridges: readonly number[];
  /** Candidates: ridges × {all rows, recent rows}; candidate c uses ridge c % ridges.length. */
  readonly candidates: number;
  private readonly recentDecay: number;
  private readonly kernel: GramKernel;
  private readonly targets: Float64Array;
  private fill = 0;
  private since: Gram;
  private all: Gram;
  private recent: Gram;
  private readouts: RidgeReadout[] | null = null;
  private readonly errors: Float64Array;
  private chosenIndex = 0;
  private refits = 0;

  constructor(options: OnlineRidgeOptions) {
    this.features = options.features;
    this.ridges = options.ridges ?? [1e-6, 1e-4, 1e-2];
    this.candidates = 2 * this.ridges.length;
    this.recentDecay = options.recentDecay ?? 0.5;
    this.kernel = createGramKernel(this.features, options.block ?? 64);
    this.targets = new Float64Array(this.kernel.stride);
    this.since = createGram(this.features);
    this.all = createGram(this.features);
    this.recent = createGram(this.features);
    this.errors = new Float64Array(this.candidates);
    // Until errors say otherwise: the middle ridge on all rows.
    this.chosenIndex = Math.floor(this.ridges.length / 2);
  }

  /** Adds one training row (features, target). */
  add(x: ArrayLike<number>, target: number): void {
    const { columns, stride } = this.kernel;
    for (let i = 0; i < this.features; i++) columns[i * stride + this.fill] = x[i];
    this.targets[this.fill] = target;
    if (++this.fill === stride) this.flushBlock();
  }

  /** Rows added since the last refit. */
  get pending(): number {
    return this.since.count + this.fill;
  }

  get fitted(): boolean {
    return this.readouts !== null;
  }

  /** Records the out-of-sample errors of the candidates' forecasts `predictions` for a row whose target is known. */
  score(predictions: ArrayLike<number>, target: number): void {
    for (let c = 0; c < this.candidates; c++) this.errors[c] += (target - predictions[c]) ** 2;
  }

  /** Every candidate's prediction for features x into out (zeros before the first refit: persistence of change). */
  predictAll(x: ArrayLike<number>, out: Float64Array): Float64Array {
    if (!this.readouts) out.fill(0);
    else {
      const one = new Float64Array(1);
      for (let c = 0; c < this.candidates; c++) out[c] = predictReadout(this.readouts[c], x, one)[0];
    }
    return out;
  }

  get chosen(): number {
    return this.chosenIndex;
  }

  /** Picks the candidate with the smallest error since the last refit, then solves every candidate afresh. */
  refit(): void {
    this.flushBlock();
    this.kernel.flush(this.since);
    if (this.readouts) {
      let best = this.chosenIndex;
      for (let c = 0; c < this.candidates; c++) if (this.errors[c] < this.errors[best]) best = c;
      this.chosenIndex = best;
    }
    addGram(this.all, this.since);
    scaleGram(this.recent, this.recentDecay);
    addGram(this.recent, this.since);
    this.since = createGram(this.features);
    const solve = (g: Gram) => {
      const scale = ridgeScale(g);
      return this.ridges.map((r) => solveRidge(g, { ridge: r * scale }));
    };
    this.readouts = [...solve(this.all), ...solve(this.recent)];
    this.errors.fill(0);
    this.refits++;
  }

  /** Forgets everything learned (after a level shift that restarts the predictor). */
  reset(): void {
    this.fill = 0;
    this.kernel.flush(createGram(this.features));
    this.since = createGram(this.features);
    this.all = createGram(this.features);
    this.recent = createGram(this.features);
    this.readouts = null;
    this.errors.fill(0);
  }

  describe(): Record<string, unknown> {
    const c = this.chosenIndex;
    return {
      ridge: this.ridges[c % this.ridges.length],
      memory: c < this.ridges.length ? "all" : "recent",
      refits: this.refits,
    };
  }

  private flushBlock(): void {
    if (this.fill === 0) return;
    this.kernel.accumulate(this.since, this.targets, this.fill);
    this.fill = 0;
  }
}
