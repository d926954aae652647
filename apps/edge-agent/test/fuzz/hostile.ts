import type { Rng } from "@nqp/core";

/**
 * Malformed and hostile sensor payloads, none of which holds a single acceptable sample: binary garbage, payloads
 * far over the size limit, deeply nested JSON, NaN and Infinity in every spelling, wrong types, prototype-pollution
 * keys, impossible timestamps, empty messages, batches of bad items, bad stream names.
 */
export function hostilePayloads(n: number, rng: Rng): Buffer[] {
  const pick = <T>(xs: readonly T[]): T => xs[rng.int(xs.length)];
  const makers: (() => string | Buffer)[] = [
    // Binary: a leading 0xFF is never valid UTF-8.
    () =>
      Buffer.concat([Buffer.from([0xff]), Buffer.from(Array.from({ length: 1 + rng.int(512) }, () => rng.int(256)))]),
    () => Buffer.from([0xc3, 0x28, 0xa0, 0xa1]),
    // Far over 256 KiB (rarer: each one is a lot of bytes through the broker).
    () => (rng.next() < 0.1 ? "A".repeat(300_000 + rng.int(700_000)) : "B".repeat(262_145)),
    () =>
      rng.next() < 0.1
        ? JSON.stringify(Array.from({ length: 12_000 }, (_, i) => ({ ts: i, value: i })))
        : JSON.stringify({ ts: 1, value: 1, pad: "x".repeat(262_144) }),
    // Deep nesting.
    () => `${"[".repeat(1000 + rng.int(100_000))}${"]".repeat(1000)}`,
    () => `${'{"a":'.repeat(100 + rng.int(5000))}1${"}".repeat(100)}`,
    // NaN and Infinity.
    () => '{"ts": 1700000000000, "value": NaN}',
    () =>
      pick([
        '{"value": "NaN"}',
        '{"value": "Infinity"}',
        '{"value": -Infinity}',
        '{"value": 1e999}',
        "Infinity",
        "NaN",
      ]),
    // Wrong types.
    () =>
      pick([
        '{"ts": "yesterday", "value": 1}',
        '{"ts": 1, "value": true}',
        '{"ts": 1, "value": "21.5"}',
        '{"ts": 1, "value": {"x": 1}}',
        '{"ts": [], "value": []}',
        '"just a string"',
        "true",
        "null",
        "[1, 2, 3]",
        '[null, "x", {}]',
        "{}",
        '{"ts": 1}',
      ]),
    // Prototype pollution attempts (with nothing valid beside them).
    () => '{"__proto__": {"polluted": true}, "value": "x"}',
    () => '{"constructor": {"prototype": {"polluted": true}}, "ts": 1}',
    // Impossible timestamps.
    () => `{"ts": ${pick(["-1", "1e20", "99999999999999999", '"2024-13-45"', '"0000-00-00"'])}, "value": 1}`,
    // Empty and blank.
    () => "",
    () => " \n\t ",
    // Batches of bad items only.
    () => JSON.stringify(Array.from({ length: 1 + rng.int(1000) }, () => ({ ts: "x", value: "y" }))),
    // Named values with unusable names or values only.
    () => '{"ts": 1, "a#": 1, "b+": 2, "c": "x", "": 3}',
    // Not JSON at all.
    () => pick(["{not json", "value=1", "1,2,3", "<xml/>", "\u0000\u0001\u0002", "🚀".repeat(100)]),
  ];
  // The first two makers (binary) and the size ones are drawn less often than the rest.
  const weights = makers.map((_, i) => (i === 2 || i === 3 ? 0.3 : 1));
  const total = weights.reduce((a, b) => a + b, 0);
  const draw = () => {
    let x = rng.next() * total;
    for (let i = 0; i < makers.length; i++) {
      x -= weights[i];
      if (x < 0) return makers[i];
    }
    return makers[makers.length - 1];
  };
  return Array.from({ length: n }, () => {
    const p = draw()();
    return typeof p === "string" ? Buffer.from(p, "utf8") : p;
  });
}
