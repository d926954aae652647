import { describe, expect, it } from "vitest";
import { createRng } from "../random";
import { SENSOR_FAULT_KINDS, sensorFleetOptions, sensorSeries } from "./sensor";

const DAY = 86_400_000;

describe("sensor simulator", () => {
  it("is reproducible from its seed and differs between seeds", () => {
    const a = sensorSeries(2000, {}, 7);
    const b = sensorSeries(2000, {}, 7);
    const c = sensorSeries(2000, {}, 8);
    expect([...a.value]).toEqual([...b.value]);
    expect([...a.value]).not.toEqual([...c.value]);
  });

  it("has a daily cycle: the same hour on different days is closer than different hours", () => {
    // Hourly samples for 8 weeks, no faults, no drift, little noise.
    const s = sensorSeries(
      24 * 56,
      {
        stepMs: 3_600_000,
        faultsPerThousand: 0,
        dropoutRate: 0,
        noise: 0.05,
        walkPerSqrtDay: 0,
        driftPerDay: 0,
        weeklyAmplitude: 0,
      },
      1,
    );
    const lag = (k: number) => {
      let d = 0;
      for (let i = k; i < s.value.length; i++) d += Math.abs(s.value[i] - s.value[i - k]);
      return d / (s.value.length - k);
    };
    expect(lag(24)).toBeLessThan(0.2 * lag(12));
  });

  it("drops production at weekends", () => {
    const s = sensorSeries(
      24 * 7 * 8,
      {
        stepMs: 3_600_000,
        faultsPerThousand: 0,
        dropoutRate: 0,
        walkPerSqrtDay: 0,
        driftPerDay: 0,
        weeklyAmplitude: 4,
      },
      2,
    );
    let weekend = 0;
    let nw = 0;
    let week = 0;
    let nk = 0;
    for (let i = 0; i < s.time.length; i++) {
      const d = new Date(s.time[i]).getUTCDay();
      if (d === 0 || d === 6) {
        weekend += s.value[i];
        nw++;
      } else {
        week += s.value[i];
        nk++;
      }
    }
    expect(week / nk - weekend / nw).toBeGreaterThan(3);
  });

  it("labels injected faults of every kind and leaves gaps for dropouts", () => {
    const s = sensorSeries(200_000, { faultsPerThousand: 2, dropoutRate: 0.002 }, 3);
    const kinds = new Set(s.fault.filter((f) => f !== null));
    expect([...kinds].sort()).toEqual([...SENSOR_FAULT_KINDS].sort());
    const mismatched = s.fault.filter((f, i) => (s.label[i] === 1) !== (f !== null)).length;
    expect(mismatched).toBe(0);
    expect(s.label.reduce((a, b) => a + b, 0)).toBeGreaterThan(1000);
    expect(s.dropped).toBeGreaterThan(200);
    expect(s.time.length + s.dropped).toBe(200_000);
    // Gaps: some consecutive kept samples are more than one step apart.
    let gaps = 0;
    for (let i = 1; i < s.time.length; i++) if (s.time[i] - s.time[i - 1] > 60_000) gaps++;
    expect(gaps).toBeGreaterThan(50);
  });

  it("makes faults visible: a spike stands far above the samples before it", () => {
    const s = sensorSeries(
      50_000,
      { faultKinds: ["spike"], faultsPerThousand: 3, dropoutRate: 0, noise: 0.1, dailyAmplitude: 2, stepMs: 1000 },
      4,
    );
    let spikes = 0;
    for (let i = 1; i < s.value.length; i++) {
      if (s.fault[i] !== "spike" || s.fault[i - 1] !== null) continue;
      spikes++;
      // Severity 1.5 × daily amplitude 2 × at least 3: a spike of 9 or more against noise of 0.1.
      expect(Math.abs(s.value[i] - s.value[i - 1])).toBeGreaterThan(5);
    }
    expect(spikes).toBeGreaterThan(50);
  });

  it("gives every stream of a fleet its own character", () => {
    const opts = sensorFleetOptions(20, createRng(5), { stepMs: 1000 });
    expect(new Set(opts.map((o) => o.base)).size).toBe(20);
    expect(opts.every((o) => o.stepMs === 1000)).toBe(true);
    expect(DAY).toBe(86_400_000);
  });
});
