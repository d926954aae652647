import { createRng, type Rng } from "../random";

/**
 * A simulated industrial sensor (temperature, pressure, current…), seeded and reproducible:
 *
 *   value(t) = base + drift·days + walk(t) + daily(t) + weekly(t) + noise + fault(t)
 *
 * - daily: a 24 h cycle with its second harmonic (shift patterns are not pure sines);
 * - weekly: production drops at weekends (Saturday and Sunday, UTC) by `weeklyAmplitude`;
 * - drift: slow linear drift (sensor ageing) plus a Gaussian random walk;
 * - noise: Gaussian measurement noise;
 * - dropouts: runs of missing samples (the sensor or its gateway went quiet), geometric in length;
 * - faults, with ground-truth labels (label 1 while a fault lasts): spike, level shift, stuck value (flatline),
 *   runaway drift, noise burst — the fault kinds of the industrial anomaly literature (e.g. the SKAB and NAB
 *   machine-temperature sets).
 */
export const SENSOR_FAULT_KINDS = ["spike", "level-shift", "stuck", "drift", "noise-burst"] as const;
export type SensorFaultKind = (typeof SENSOR_FAULT_KINDS)[number];

export interface SensorSimulatorOptions {
  startMs?: number;
  /** Milliseconds between samples. */
  stepMs?: number;
  base?: number;
  dailyAmplitude?: number;
  /** Phase of the daily cycle, in hours. */
  dailyPhaseHours?: number;
  weeklyAmplitude?: number;
  /** Linear drift per day. */
  driftPerDay?: number;
  /** Standard deviation of the random walk per √day. */
  walkPerSqrtDay?: number;
  noise?: number;
  /** Probability per sample that a dropout starts. */
  dropoutRate?: number;
  dropoutMeanLength?: number;
  /** Expected faults per 1000 samples. */
  faultsPerThousand?: number;
  faultKinds?: readonly SensorFaultKind[];
  /** Fault size in units of the daily amplitude (at least 1 noise std). */
  faultSeverity?: number;
}

export interface SensorReading {
  ts: number;
  /** NaN while `dropped`. */
  value: number;
  dropped: boolean;
  /** 1 while a fault is active (ground truth), else 0. */
  label: 0 | 1;
  fault: SensorFaultKind | null;
}

interface ActiveFault {
  kind: SensorFaultKind;
  left: number;
  length: number;
  size: number;
  stuckAt: number;
}

export interface SensorSimulator {
  next(): SensorReading;
}

const DAY = 86_400_000;

export function createSensorSimulator(options: SensorSimulatorOptions = {}, rng: Rng = createRng(1)): SensorSimulator {
  const o = {
    startMs: 1_700_000_000_000,
    stepMs: 60_000,
    base: 50,
    dailyAmplitude: 5,
    dailyPhaseHours: 0,
    weeklyAmplitude: 3,
    driftPerDay: 0.05,
    walkPerSqrtDay: 0.3,
    noise: 0.4,
    dropoutRate: 0.001,
    dropoutMeanLength: 8,
    faultsPerThousand: 1,
    faultKinds: SENSOR_FAULT_KINDS,
    faultSeverity: 1.5,
    ...options,
  };
  let i = 0;
  let walk = 0;
  let dropoutLeft = 0;
  let fault: ActiveFault | null = null;
  let last = o.base;
  const walkStep = o.walkPerSqrtDay * Math.sqrt(o.stepMs / DAY);
  const faultProbability = o.faultsPerThousand / 1000;
  const scale = Math.max(o.dailyAmplitude, o.noise, 1e-9) * o.faultSeverity;

  const startFault = (): ActiveFault => {
    const kind = o.faultKinds[rng.int(o.faultKinds.length)];
    const between = (a: number, b: number) => a + rng.int(b - a + 1);
    const length = {
      spike: between(1, 3),
      "level-shift": between(30, 200),
      stuck: between(20, 100),
      drift: between(50, 300),
      "noise-burst": between(20, 100),
    }[kind];
    const sign = rng.next() < 0.5 ? -1 : 1;
    const size = sign * scale * (kind === "spike" ? 3 + 2 * rng.next() : 1 + rng.next());
    return { kind, left: length, length, size, stuckAt: last };
  };

  return {
    next(): SensorReading {
      const ts = o.startMs + i * o.stepMs;
      i++;
      walk += walkStep * rng.normal();
      const hours = (((ts % DAY) + DAY) % DAY) / 3_600_000 + o.dailyPhaseHours;
      const angle = (2 * Math.PI * hours) / 24;
      const daily = o.dailyAmplitude * (Math.sin(angle) + 0.3 * Math.sin(2 * angle + 1));
      const weekday = new Date(ts).getUTCDay();
      const weekly = weekday === 0 || weekday === 6 ? -o.weeklyAmplitude : 0;
      let value = o.base + o.driftPerDay * ((ts - o.startMs) / DAY) + walk + daily + weekly + o.noise * rng.normal();

      if (!fault && rng.next() < faultProbability) fault = startFault();
      let label: 0 | 1 = 0;
      let kind: SensorFaultKind | null = null;
      if (fault) {
        label = 1;
        kind = fault.kind;
        const progress = 1 - (fault.left - 1) / fault.length;
        if (fault.kind === "spike" || fault.kind === "level-shift") value += fault.size;
        else if (fault.kind === "stuck") value = fault.stuckAt;
        else if (fault.kind === "drift") value += fault.size * 2 * progress;
        else value += Math.abs(fault.size) * rng.normal();
        fault.left--;
        if (fault.left <= 0) fault = null;
      }
      last = value;

      if (dropoutLeft === 0 && rng.next() < o.dropoutRate)
        dropoutLeft = 1 + Math.floor(-Math.log(1 - rng.next()) * o.dropoutMeanLength);
      if (dropoutLeft > 0) {
        dropoutLeft--;
        return { ts, value: Number.NaN, dropped: true, label, fault: kind };
      }
      return { ts, value, dropped: false, label, fault: kind };
    },
  };
}

/** Options for one of many sensors on a line: each stream gets its own level, cycle phase and fault timing. */
export function sensorFleetOptions(
  count: number,
  rng: Rng,
  common: SensorSimulatorOptions = {},
): SensorSimulatorOptions[] {
  return Array.from({ length: count }, () => ({
    base: 20 + 80 * rng.next(),
    dailyAmplitude: 1 + 6 * rng.next(),
    dailyPhaseHours: 24 * rng.next(),
    weeklyAmplitude: 3 * rng.next(),
    driftPerDay: 0.1 * (rng.next() - 0.5),
    noise: 0.1 + 0.6 * rng.next(),
    ...common,
  }));
}

export interface SensorSeries {
  time: Float64Array;
  value: Float64Array;
  label: Uint8Array;
  fault: (SensorFaultKind | null)[];
  /** Samples that dropped out (not in the arrays). */
  dropped: number;
}

/** `n` time steps of one sensor, dropouts left out (so the series has gaps, as real exports do). */
export function sensorSeries(n: number, options: SensorSimulatorOptions = {}, seed = 1): SensorSeries {
  const sim = createSensorSimulator(options, createRng(seed));
  const time: number[] = [];
  const value: number[] = [];
  const label: number[] = [];
  const fault: (SensorFaultKind | null)[] = [];
  let dropped = 0;
  for (let k = 0; k < n; k++) {
    const r = sim.next();
    if (r.dropped) {
      dropped++;
      continue;
    }
    time.push(r.ts);
    value.push(r.value);
    label.push(r.label);
    fault.push(r.fault);
  }
  return {
    time: Float64Array.from(time),
    value: Float64Array.from(value),
    label: Uint8Array.from(label),
    fault,
    dropped,
  };
}
