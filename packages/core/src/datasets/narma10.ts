import type { Rng } from "../random";

/**
 * NARMA10 (Atiya & Parlos, IEEE TNN 11:697, 2000), the standard memory-and-nonlinearity benchmark:
 *
 *   y(t+1) = 0.3·y(t) + 0.05·y(t)·Σ_{i=0..9} y(t−i) + 1.5·u(t−9)·u(t) + 0.1,  u(t) ~ U[0, 0.5].
 *
 * Returns the input u and output y aligned by t: y[t + 1] depends on u[t], so a forecaster of y that may use the
 * input up to the previous row has exactly the information the benchmark intends. The first `warmup` steps are
 * discarded (the system starts at y = 0).
 */
export function narma10(n: number, rng: Rng, warmup = 200): { u: Float64Array; y: Float64Array } {
  const total = n + warmup;
  const u = new Float64Array(total);
  const y = new Float64Array(total);
  for (let t = 0; t < total; t++) u[t] = 0.5 * rng.next();
  for (let t = 9; t < total - 1; t++) {
    let sum = 0;
    for (let i = 0; i < 10; i++) sum += y[t - i];
    y[t + 1] = 0.3 * y[t] + 0.05 * y[t] * sum + 1.5 * u[t - 9] * u[t] + 0.1;
  }
  return { u: u.slice(warmup), y: y.slice(warmup) };
}
