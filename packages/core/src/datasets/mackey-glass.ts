/**
 * The Mackey–Glass delay differential equation (Mackey & Glass, Science 197:287, 1977), the standard chaotic
 * benchmark for reservoir computing:
 *
 *   dx/dt = β·x(t−τ) / (1 + x(t−τ)^n) − γ·x(t),  β = 0.2, γ = 0.1, n = 10, τ = 17 (chaotic for τ > 16.8).
 *
 * Integrated with classical Runge–Kutta at `stepsPerUnit` sub-steps per time unit; the delayed term at a half step
 * is the mean of its two neighbouring history points. A transient of `warmup` time units is discarded so that the
 * series starts on the attractor.
 */
export interface MackeyGlassOptions {
  n: number;
  tau?: number;
  beta?: number;
  gamma?: number;
  power?: number;
  x0?: number;
  /** Time units between samples. */
  sampleEvery?: number;
  stepsPerUnit?: number;
  warmup?: number;
}

export function mackeyGlass(options: MackeyGlassOptions): Float64Array {
  const {
    n,
    tau = 17,
    beta = 0.2,
    gamma = 0.1,
    power = 10,
    x0 = 1.2,
    sampleEvery = 1,
    stepsPerUnit = 10,
    warmup = 500,
  } = options;
  const h = 1 / stepsPerUnit;
  const lag = Math.round(tau * stepsPerUnit);
  const stride = Math.round(sampleEvery * stepsPerUnit);
  const total = Math.round(warmup * stepsPerUnit) + n * stride;
  // Ring buffer of the last `lag + 1` sub-step values; before t = 0 the history is constant x0.
  const hist = new Float64Array(lag + 1).fill(x0);
  let head = 0;
  let x = x0;
  const f = (xt: number, xd: number) => (beta * xd) / (1 + xd ** power) - gamma * xt;
  const out = new Float64Array(n);
  const first = total - n * stride;
  let k = 0;
  for (let step = 0; step < total; step++) {
    const xdNow = hist[(head + 1) % (lag + 1)];
    const xdNext = hist[(head + 2) % (lag + 1)];
    const xdMid = 0.5 * (xdNow + xdNext);
    const k1 = f(x, xdNow);
    const k2 = f(x + 0.5 * h * k1, xdMid);
    const k3 = f(x + 0.5 * h * k2, xdMid);
    const k4 = f(x + h * k3, xdNext);
    x += (h / 6) * (k1 + 2 * k2 + 2 * k3 + k4);
    head = (head + 1) % (lag + 1);
    hist[head] = x;
    if (step + 1 > first && (step + 1 - first) % stride === 0) out[k++] = x;
  }
  return out;
}
