import { randomBytes, scrypt, timingSafeEqual } from "node:crypto";

/**
 * Agent passwords: 24 random bytes shown once, stored as an scrypt hash (RFC 7914; N = 2^14, r = 8, p = 1, the
 * interactive-login parameters of the scrypt paper) with a 16-byte salt: "scrypt$N$r$p$salt$hash", base64.
 */
const N = 16_384;
const R = 8;
const P = 1;
const KEY_LENGTH = 32;

export function generatePassword(): string {
  return randomBytes(24).toString("base64url");
}

function derive(password: string, salt: Buffer, n: number, r: number, p: number): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scrypt(password, salt, KEY_LENGTH, { N: n, r, p, maxmem: 256 * n * r }, (err, key) =>
      err ? reject(err) : resolve(key),
    ),
  );
}

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await derive(password, salt, N, R, P);
  return `scrypt$${N}$${R}$${P}$${salt.toString("base64")}$${key.toString("base64")}`;
}

/** Constant-time comparison; false for a malformed stored hash. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parts = stored.split("$");
  if (parts.length !== 6 || parts[0] !== "scrypt") return false;
  const [n, r, p] = parts.slice(1, 4).map(Number);
  if (!(n > 1 && r > 0 && p > 0)) return false;
  const expected = Buffer.from(parts[5], "base64");
  const key = await derive(password, Buffer.from(parts[4], "base64"), n, r, p);
  return key.length === expected.length && timingSafeEqual(key, expected);
}
