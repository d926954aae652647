import { describe, expect, it } from "vitest";
import { createRng } from "../random";
import { dampTail, initialLikelihoodState, LIKELIHOOD_DEFAULTS, stepLikelihood, stepTail } from "./likelihood";

const p = { ...LIKELIHOOD_DEFAULTS, refractory: 0 };

describe("anomaly likelihood", () => {
  it("gives nothing while learning, stays quiet on stationary surprise, and alarms at the start of a burst", () => {
    const rng = createRng(3);
    const s = initialLikelihoodState();
    const scores: number[] = [];
    for (let i = 0; i < 3000; i++) {
      const raw = i >= 2500 && i < 2520 ? 0.9 : 0.1 * rng.next();
      scores.push(stepLikelihood(p, s, raw));
    }
    expect(scores.slice(0, p.learningPeriod + p.estimationSamples).every((x) => x === 0)).toBe(true);
    expect(scores.slice(400, 2500).filter((x) => x >= 0.5)).toHaveLength(0);
    const burst = scores.slice(2500, 2520);
    // The first red sample of the burst keeps its score; the rest are held at the yellow level (q = 1e-3 → 0.3).
    expect(burst.filter((x) => x >= 0.5)).toHaveLength(1);
    expect(Math.max(...burst.slice(burst.findIndex((x) => x >= 0.5) + 1))).toBeCloseTo(0.3, 6);
    expect(scores.every((x) => x >= 0 && x <= 1)).toBe(true);
  });

  it("does not alarm on a small blip in a stream whose surprise is almost always zero (the floors)", () => {
    const s = initialLikelihoodState();
    let max = 0;
    for (let i = 0; i < 2000; i++) max = Math.max(max, stepLikelihood(p, s, i === 1500 ? 0.3 : 0));
    // The floors cap z at (0.3/10 − 0.03)/√0.0003 = 0 for one sample of 0.3 averaged over 10.
    expect(max).toBeLessThan(0.5);
  });

  it("holds alarms within the refractory period after a reported one", () => {
    const run = (refractory: number) => {
      const s = initialLikelihoodState();
      const q = { ...LIKELIHOOD_DEFAULTS, refractory };
      let alarms = 0;
      for (let i = 0; i < 3000; i++) {
        // Two bursts 40 samples apart, separated by quiet samples.
        const raw = (i >= 2500 && i < 2505) || (i >= 2545 && i < 2550) ? 1 : 0.02 * ((i * 7919) % 13);
        if (stepLikelihood(q, s, raw) >= 0.5) alarms++;
      }
      return alarms;
    };
    expect(run(0)).toBe(2);
    expect(run(100)).toBe(1);
  });

  it("with a warm-up scores from that sample on, catching a burst NuPIC's learning period would hide", () => {
    const run = (warmup: number) => {
      const s = initialLikelihoodState();
      const q = { ...p, warmup };
      return Array.from({ length: 600 }, (_, i) =>
        stepLikelihood(q, s, i >= 250 && i < 270 ? 0.9 : 0.05 + 0.02 * ((i * 7919) % 11)),
      );
    };
    const nupic = run(0);
    const warm = run(150);
    expect(nupic.slice(0, 388).every((x) => x === 0)).toBe(true);
    expect(warm.slice(0, 150).every((x) => x === 0)).toBe(true);
    expect(warm.slice(150, 250).filter((x) => x >= 0.5)).toHaveLength(0);
    expect(warm.slice(250, 270).filter((x) => x >= 0.5)).toHaveLength(1);
  });

  it("splits into a tail probability and its damping", () => {
    const rng = createRng(9);
    const raws = Array.from({ length: 1200 }, (_, i) => (i > 1000 && i < 1010 ? 1 : rng.next() ** 3));
    const a = initialLikelihoodState();
    const b = initialLikelihoodState();
    for (const raw of raws) expect(dampTail(p, b, stepTail(p, b, raw))).toBe(stepLikelihood(p, a, raw));
  });

  it("fits the same distribution from its block summaries as from the kept moving averages", () => {
    // Reference: NuPIC's fit over the kept moving averages of the window (population mean and variance, floors),
    // with the window's start where the block summaries put it: learningPeriod until the window is full, then the
    // sliding start rounded to the nearest block of reestimationPeriod samples.
    const q = { ...LIKELIHOOD_DEFAULTS, historicWindow: 1000, warmup: 150 };
    const rng = createRng(21);
    const s = initialLikelihoodState();
    const averages: number[] = [];
    const recent: number[] = [];
    let checked = 0;
    for (let i = 0; i < 5000; i++) {
      const raw = (i > 3000 ? 1 : 0.6) * rng.next() ** 2;
      const refit = i >= 388 ? i % q.reestimationPeriod === 0 : i >= q.warmup && i % q.averagingWindow === 0;
      stepTail(q, s, raw);
      if (refit) {
        let start: number;
        if (i < 388) start = Math.floor((i * 288) / 388);
        else {
          const sliding = Math.max(288, i - q.historicWindow);
          start = 288 + Math.round((sliding - 288) / q.reestimationPeriod) * q.reestimationPeriod;
        }
        const xs = averages.slice(start, i);
        const mean = xs.reduce((a, x) => a + x, 0) / xs.length;
        const variance = xs.reduce((a, x) => a + (x - mean) ** 2, 0) / xs.length;
        expect(s.mean).toBeCloseTo(Math.max(mean, q.meanFloor), 12);
        expect(s.std).toBeCloseTo(Math.sqrt(Math.max(variance, q.varianceFloor)), 12);
        checked++;
      }
      recent.push(raw);
      if (recent.length > q.averagingWindow) recent.shift();
      averages.push(recent.reduce((a, x) => a + x, 0) / recent.length);
    }
    expect(checked).toBeGreaterThan(60);
  });

  it("resumes exactly from a JSON copy of its state", () => {
    const rng = createRng(5);
    const raws = Array.from({ length: 1500 }, () => rng.next() ** 4);
    const a = initialLikelihoodState();
    for (let i = 0; i < 700; i++) stepLikelihood(p, a, raws[i]);
    const b = JSON.parse(JSON.stringify(a));
    for (let i = 700; i < 1500; i++) expect(stepLikelihood(p, b, raws[i])).toBe(stepLikelihood(p, a, raws[i]));
  });
});
