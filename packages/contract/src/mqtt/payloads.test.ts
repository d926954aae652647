import { describe, expect, it } from "vitest";
import { type PredictionRecord, predictionFromRow, predictionRow, UpBatchSchema } from "./payloads";

const rec: PredictionRecord = {
  seq: 7,
  stream: "plant/t",
  ts: 1_700_000_000_000,
  value: 1.5,
  forecast: 1.4,
  lower: 1.1,
  upper: 1.7,
  anomalyScore: 0.2,
  isAnomaly: true,
  next: { forecast: 1.6, lower: 1.3, upper: 1.9 },
};

describe("prediction rows", () => {
  it("round-trip a record, nulls included", () => {
    expect(predictionFromRow(predictionRow(rec, 1), ["x", "plant/t"])).toEqual(rec);
    const warm = { ...rec, forecast: null, lower: null, upper: null, next: null, isAnomaly: false };
    expect(predictionFromRow(predictionRow(warm, 0), ["plant/t"])).toEqual(warm);
  });

  it("validate a batch, refusing stream indexes beyond the list and wrong types", () => {
    const batch = {
      v: 1,
      agent: "a",
      epoch: "epoch-0001",
      kind: "predictions",
      streams: ["plant/t"],
      rows: [predictionRow(rec, 0)],
    };
    expect(UpBatchSchema.safeParse(batch).success).toBe(true);
    expect(UpBatchSchema.safeParse({ ...batch, rows: [predictionRow(rec, 1)] }).success).toBe(false);
    const bad = predictionRow(rec, 0) as unknown[];
    bad[8] = true;
    expect(UpBatchSchema.safeParse({ ...batch, rows: [bad] }).success).toBe(false);
    expect(UpBatchSchema.safeParse({ ...batch, agent: "a/b" }).success).toBe(false);
    expect(UpBatchSchema.safeParse({ ...batch, kind: "weather" }).success).toBe(false);
  });
});
