// Portfolio selection and maintenance scheduling: optimality gap against brute force on small generated instances,
// feasibility and time on large ones (N = 500 assets, M = 200 jobs) at the time limit.
// Usage: pnpm bench optimizer-problems [--time-limit 10] [--small 5]
import {
  evaluatePortfolio,
  evaluateSchedule,
  generatePortfolioData,
  generateSchedule,
  type PortfolioProblem,
  type ScheduleProblem,
  solvePortfolio,
  solveSchedule,
} from "@nqp/core";

const args = process.argv.slice(2);
const arg = (name: string, fallback: string) => {
  const k = args.indexOf(`--${name}`);
  return k >= 0 ? args[k + 1] : fallback;
};
const limitMs = 1000 * Number(arg("time-limit", "10"));
const small = Number(arg("small", "5"));

function bestPortfolio(p: PortfolioProblem): number {
  const N = p.data.mean.length;
  let best = Number.NEGATIVE_INFINITY;
  for (let b = 0; b < 2 ** N; b++) {
    let c = 0;
    for (let x = b; x; x &= x - 1) c++;
    if (c !== p.k) continue;
    best = Math.max(
      best,
      evaluatePortfolio(
        p,
        Array.from({ length: N }, (_, i) => (b >> i) & 1),
      ).utility,
    );
  }
  return best;
}

function bestSchedule(p: ScheduleProblem): number {
  const T = p.slots.length;
  const M = p.jobs.length;
  const slot = new Int32Array(M);
  let best = Number.POSITIVE_INFINITY;
  for (let code = 0; code < T ** M; code++) {
    let c = code;
    for (let j = 0; j < M; j++) {
      slot[j] = c % T;
      c = Math.floor(c / T);
    }
    const e = evaluateSchedule(p, slot);
    if (e.feasible) best = Math.min(best, e.cost);
  }
  return best;
}

const portfolioSmall = [];
for (let seed = 1; seed <= small; seed++) {
  const p = { data: generatePortfolioData(18, 250, seed), k: 6, riskAversion: 2 };
  const r = await solvePortfolio(p, { seed, timeLimitMs: 2000 });
  const opt = bestPortfolio(p);
  portfolioSmall.push({
    seed,
    utility: r.evaluation.utility,
    optimum: opt,
    gap: (opt - r.evaluation.utility) / Math.abs(opt),
    feasible: r.evaluation.feasible,
  });
}
const scheduleSmall = [];
for (let seed = 1; seed <= small; seed++) {
  const p = generateSchedule(8, 4, 3, seed);
  const r = await solveSchedule(p, { seed, timeLimitMs: 2000 });
  const opt = bestSchedule(p);
  scheduleSmall.push({
    seed,
    cost: r.evaluation.cost,
    optimum: opt,
    gap: (r.evaluation.cost - opt) / opt,
    feasible: r.evaluation.feasible,
  });
}
const t0 = performance.now();
const bigP = { data: generatePortfolioData(500, 500, 1), k: 20, riskAversion: 2 };
const rp = await solvePortfolio(bigP, { seed: 1, timeLimitMs: limitMs });
const portfolioLarge = {
  assets: 500,
  k: 20,
  feasible: rp.evaluation.feasible,
  solver_feasible: rp.raw.feasible,
  utility: rp.evaluation.utility,
  solver_utility: rp.raw.utility,
  elapsed_ms_with_data_generation: Math.round(performance.now() - t0),
  solve_ms: Math.round(rp.solve.elapsedMs),
};
const t1 = performance.now();
const bigS = generateSchedule(200, 20, 40, 1);
const rs = await solveSchedule(bigS, { seed: 1, timeLimitMs: limitMs });
const scheduleLarge = {
  jobs: 200,
  slots: 20,
  machines: 40,
  feasible: rs.evaluation.feasible,
  solver_feasible: rs.rawEvaluation.feasible,
  cost: rs.evaluation.cost,
  reason: rs.reason,
  elapsed_ms_with_generation_and_repair: Math.round(performance.now() - t1),
  solve_ms: Math.round(rs.solve.elapsedMs),
};
console.log(
  JSON.stringify(
    {
      bench: "optimizer-problems",
      date: new Date().toISOString(),
      time_limit_s: limitMs / 1000,
      portfolioSmall,
      scheduleSmall,
      portfolioLarge,
      scheduleLarge,
    },
    null,
    2,
  ),
);
