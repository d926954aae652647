import { describe, expect, it } from "vitest";
import { generatePassword, hashPassword, verifyPassword } from "./passwords";

describe("agent passwords", () => {
  it("verifies the right password only, and never stores it in clear", async () => {
    const pw = generatePassword();
    expect(pw.length).toBeGreaterThanOrEqual(32);
    const hash = await hashPassword(pw);
    expect(hash).not.toContain(pw);
    expect(hash).toMatch(/^scrypt\$16384\$8\$1\$/);
    expect(await verifyPassword(pw, hash)).toBe(true);
    expect(await verifyPassword(`${pw}x`, hash)).toBe(false);
    expect(await verifyPassword(pw, "garbage")).toBe(false);
    expect(await hashPassword(pw)).not.toBe(hash);
  });
});
