/**
 * Timestamps as users write them: epoch seconds, epoch milliseconds, or ISO 8601 (with a 'T' or a space, as NAB
 * writes them). A timestamp without a zone is read as UTC so that a file means the same on every machine.
 * Returns epoch milliseconds, or NaN when the text is not a timestamp.
 */
export function parseTimestamp(text: string): number {
  const s = text.trim();
  if (s === "") return Number.NaN;
  if (/^[-+]?\d+(\.\d+)?$/.test(s)) {
    const n = Number(s);
    // Epoch seconds stay below 1e11 until the year 5138; milliseconds are above it after March 1973.
    return Math.abs(n) < 1e11 ? n * 1000 : n;
  }
  const iso = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/i.exec(s);
  if (!iso) return Number.NaN;
  const [, y, mo, d, h = "0", mi = "0", sec = "0", frac, zone] = iso;
  let ms = Date.UTC(+y, +mo - 1, +d, +h, +mi, +sec, frac ? Math.round(Number(frac) * 1000) : 0);
  if (+mo < 1 || +mo > 12 || +d < 1 || +d > 31 || +h > 23 || +mi > 59 || +sec > 60) return Number.NaN;
  if (zone && zone.toUpperCase() !== "Z") {
    const sign = zone[0] === "-" ? -1 : 1;
    const digits = zone.slice(1).replace(":", "");
    ms -= sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4))) * 60_000;
  }
  return ms;
}
