import {
  addGram,
  createGram,
  createGramKernel,
  type Gram,
  type GramKernel,
  type RidgeReadout,
  ridgeScale,
  scaleGram,
  solveRidge,
} from "../readout";

/**
 * A ridge readout learned online for a reservoir predictor: training rows arrive one by one (a forecast's features
 * and, `horizon` rows later, its target) and are summed in blocks by the SIMD XᵀX kernel; the readout is solved again
 * at each refit. Each refit solves several candidates — every ridge strength on two memories, all rows since the
 * start and recent rows (older statistics halved at each refit) — and at every row the candidate used is the one
 * whose forecasts have been best out of sample lately (exponentially weighted squared errors, half-life 200 rows),
 * with "no change" (persistence) as one more candidate: a readout that a level shift has thrown far off is dropped
 * within rows, not at the next refit. So neither the ridge nor how fast the readout forgets is tuned per series by
 * hand: the series' own recent errors choose.
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

// Half-life of 200 rows for the candidates' squared errors.
const ERROR_DECAY = 2 ** (-1 / 200);

export class OnlineRidge {
  readonly features: number;
  readonly ridges: readonly number[];
  /**
   * Candidates: ridges × {all rows, recent rows}; candidate c uses ridge c % ridges.length. Index `candidates`
   * stands for persistence (a predicted change of 0).
   */
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
    this.errors = new Float64Array(this.candidates + 1);
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
    const e = this.errors;
    for (let c = 0; c < this.candidates; c++) e[c] = ERROR_DECAY * e[c] + (target - predictions[c]) ** 2;
    e[this.candidates] = ERROR_DECAY * e[this.candidates] + target * target;
    let best = this.chosenIndex;
    for (let c = 0; c <= this.candidates; c++) if (e[c] < e[best]) best = c;
    this.chosenIndex = best;
  }

  /** The change the chosen candidate predicts, from every candidate's predictions (predictAll). */
  chosenPrediction(predictions: ArrayLike<number>): number {
    return this.chosenIndex < this.candidates ? predictions[this.chosenIndex] : 0;
  }

  /** Every candidate's prediction for features x into out (zeros before the first refit: persistence of change). */
  predictAll(x: ArrayLike<number>, out: Float64Array): Float64Array {
    if (!this.readouts) out.fill(0);
    else
      for (let c = 0; c < this.candidates; c++) {
        const r = this.readouts[c];
        const w = r.weights;
        let s = r.intercept[0];
        for (let i = 0; i < this.features; i++) s += w[i] * x[i];
        out[c] = s;
      }
    return out;
  }

  get chosen(): number {
    return this.chosenIndex;
  }

  /** Solves every candidate afresh from the statistics so far (the candidates' recent errors carry over). */
  refit(): void {
    this.flushBlock();
    this.kernel.flush(this.since);
    addGram(this.all, this.since);
    scaleGram(this.recent, this.recentDecay);
    addGram(this.recent, this.since);
    this.since = createGram(this.features);
    const solve = (g: Gram) => {
      const scale = ridgeScale(g);
      return this.ridges.map((r) => solveRidge(g, { ridge: r * scale }));
    };
    this.readouts = [...solve(this.all), ...solve(this.recent)];
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
    this.chosenIndex = Math.floor(this.ridges.length / 2);
  }

  describe(): Record<string, unknown> {
    const c = this.chosenIndex;
    if (c === this.candidates)
      return { readout: "persistence (the readouts have been worse lately)", refits: this.refits };
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
