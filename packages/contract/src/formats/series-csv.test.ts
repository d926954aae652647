import { describe, expect, it } from "vitest";
import { readSeriesCsv } from "./series-csv";
import { parseTimestamp } from "./timestamp";

describe("parseTimestamp", () => {
  it("reads epoch seconds, epoch milliseconds and ISO 8601 as UTC", () => {
    expect(parseTimestamp("1700000000")).toBe(1_700_000_000_000);
    expect(parseTimestamp("1700000000123")).toBe(1_700_000_000_123);
    expect(parseTimestamp("2024-01-01 00:30:00")).toBe(Date.UTC(2024, 0, 1, 0, 30));
    expect(parseTimestamp("2024-01-01T00:30:00Z")).toBe(Date.UTC(2024, 0, 1, 0, 30));
    expect(parseTimestamp("2024-01-01T02:30:00+02:00")).toBe(Date.UTC(2024, 0, 1, 0, 30));
    expect(parseTimestamp("2024-01-01T00:30:00.250")).toBe(Date.UTC(2024, 0, 1, 0, 30, 0, 250));
    expect(parseTimestamp("yesterday")).toBeNaN();
    expect(parseTimestamp("2024-13-01")).toBeNaN();
  });
});

describe("readSeriesCsv", () => {
  it("reads the columns it needs and ignores the others", () => {
    const t = readSeriesCsv("x,timestamp,value\na,1,2.5\nb,2,3\n");
    expect([...t.value]).toEqual([2.5, 3]);
    expect([...t.time]).toEqual([1000, 2000]);
    expect(t.timestampText).toEqual(["1", "2"]);
  });

  it("parses quoted files through the general parser", () => {
    const t = readSeriesCsv('timestamp,value,note\n1,1,"a, b"\n2,2,"say ""hi"""\n');
    expect([...t.value]).toEqual([1, 2]);
  });

  const bad: Array<[string, string, RegExp]> = [
    ["empty file", "", /empty/],
    ["header only", "timestamp,value\n", /no rows/],
    ["missing column", "timestamp,val\n1,2\n", /missing column 'value'/],
    ["non-numeric value", "timestamp,value\n1,1.0\n2,abc\n3,2.0\n", /line 3: value 'abc' is not a number/],
    ["empty value", "timestamp,value\n1,\n", /line 2: value '' is not a number/],
    ["bad timestamp", "timestamp,value\nnoon,1\n", /line 2: timestamp 'noon'/],
    ["unsorted", "timestamp,value\n2,1\n1,1\n", /line 3: .*earlier than line 2/],
    ["duplicate", "timestamp,value\n1,1\n1,2\n", /line 3: duplicate timestamp/],
    ["blank row", "timestamp,value\n1,1\n\n2,2\n", /line 3: blank row/],
  ];
  for (const [name, text, message] of bad) {
    it(`rejects ${name} with a message naming the line`, () => {
      expect(() => readSeriesCsv(text)).toThrow(message);
    });
  }
});
