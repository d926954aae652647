/**
 * Derivative-free minimisation by the Nelder–Mead simplex (Nelder & Mead 1965) with the dimension-adaptive
 * coefficients of Gao & Han (Comput. Optim. Appl. 51, 2012): reflection 1, expansion 1 + 2/d, contraction
 * 0.75 − 1/(2d), shrink 1 − 1/d. Used for QAOA angles, whose landscape is smooth but has no cheap gradient here.
 * (npm's `fmin` offers the same method but ships a plotting dependency and has been unmaintained since 2016.)
 */
export function nelderMead(
  f: (x: number[]) => number,
  x0: readonly number[],
  options: { step?: number; maxEvaluations?: number; tolerance?: number; shouldStop?: () => boolean } = {},
): { x: number[]; value: number; evaluations: number } {
  const d = x0.length;
  const step = options.step ?? 0.1;
  const maxEval = options.maxEvaluations ?? 200 * d;
  const tol = options.tolerance ?? 1e-8;
  const alpha = 1;
  const gamma = 1 + 2 / d;
  const rho = 0.75 - 1 / (2 * d);
  const sigma = 1 - 1 / d;
  let evaluations = 0;
  const evalAt = (x: number[]) => {
    evaluations++;
    return f(x);
  };
  const simplex: { x: number[]; v: number }[] = [{ x: [...x0], v: evalAt([...x0]) }];
  for (let i = 0; i < d; i++) {
    const x = [...x0];
    x[i] += step;
    simplex.push({ x, v: evalAt(x) });
  }
  const comb = (a: number[], b: number[], t: number) => a.map((ai, i) => ai + t * (b[i] - ai));
  while (evaluations < maxEval && !options.shouldStop?.()) {
    simplex.sort((p, q) => p.v - q.v);
    if (Math.abs(simplex[d].v - simplex[0].v) <= tol * (Math.abs(simplex[0].v) + tol)) break;
    const centroid = new Array(d).fill(0);
    for (let k = 0; k < d; k++) for (let i = 0; i < d; i++) centroid[i] += simplex[k].x[i] / d;
    const worst = simplex[d];
    const xr = comb(centroid, worst.x, -alpha);
    const vr = evalAt(xr);
    if (vr < simplex[0].v) {
      const xe = comb(centroid, worst.x, -gamma);
      const ve = evalAt(xe);
      simplex[d] = ve < vr ? { x: xe, v: ve } : { x: xr, v: vr };
    } else if (vr < simplex[d - 1].v) {
      simplex[d] = { x: xr, v: vr };
    } else {
      const outside = vr < worst.v;
      const xc = outside ? comb(centroid, xr, rho) : comb(centroid, worst.x, rho);
      const vc = evalAt(xc);
      if (vc < (outside ? vr : worst.v)) simplex[d] = { x: xc, v: vc };
      else
        for (let k = 1; k <= d; k++) {
          const x = comb(simplex[0].x, simplex[k].x, sigma);
          simplex[k] = { x, v: evalAt(x) };
        }
    }
  }
  simplex.sort((p, q) => p.v - q.v);
  return { x: simplex[0].x, value: simplex[0].v, evaluations };
}
