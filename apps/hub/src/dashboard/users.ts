import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import { isRole, type Role } from "@nqp/contract";
import { NqpError } from "@nqp/core";
import type Database from "better-sqlite3";
import { DASHBOARD_SCHEMA } from "./schema";

/**
 * Dashboard users and their bearer tokens. A token is 32 random bytes (256 bits), so a single SHA-256 is enough to
 * store it (no password stretching needed for a secret that cannot be guessed); it is shown once, when made.
 */
export interface DashboardUser {
  name: string;
  role: Role;
  createdAt: number;
}

const TOKEN_PREFIX = "nqpd_";
const NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.@-]{0,63}$/;

function tokenHash(token: string): string {
  return createHash("sha256").update(token, "utf8").digest("hex");
}

export function ensureDashboardSchema(db: Database.Database): void {
  db.exec(DASHBOARD_SCHEMA);
}

export function addDashboardUser(
  db: Database.Database,
  name: string,
  role: string,
): { user: DashboardUser; token: string } {
  if (!NAME_PATTERN.test(name))
    throw new NqpError("bad-user", `user name '${name}' is not valid: use 1-64 letters, digits, '_', '.', '@' or '-'`);
  if (!isRole(role)) throw new NqpError("bad-role", `role '${role}' is not one of viewer, analyst, admin`);
  ensureDashboardSchema(db);
  if (db.prepare("SELECT 1 FROM dashboard_users WHERE name = ?").get(name))
    throw new NqpError("user-exists", `dashboard user '${name}' exists (remove it first to issue a new token)`);
  const token = TOKEN_PREFIX + randomBytes(32).toString("base64url");
  const createdAt = Date.now();
  db.prepare("INSERT INTO dashboard_users(name, role, token_hash, created_at) VALUES (?, ?, ?, ?)").run(
    name,
    role,
    tokenHash(token),
    createdAt,
  );
  return { user: { name, role, createdAt }, token };
}

export function removeDashboardUser(db: Database.Database, name: string): boolean {
  ensureDashboardSchema(db);
  return db.prepare("DELETE FROM dashboard_users WHERE name = ?").run(name).changes > 0;
}

export function listDashboardUsers(db: Database.Database): DashboardUser[] {
  ensureDashboardSchema(db);
  return (
    db.prepare("SELECT name, role, created_at AS createdAt FROM dashboard_users ORDER BY name").all() as DashboardUser[]
  ).filter((u) => isRole(u.role));
}

/** The user a token belongs to, or undefined. */
export function authenticateToken(db: Database.Database, token: string): DashboardUser | undefined {
  if (!token.startsWith(TOKEN_PREFIX)) return undefined;
  const hash = tokenHash(token);
  const row = db
    .prepare("SELECT name, role, token_hash AS hash, created_at AS createdAt FROM dashboard_users WHERE token_hash = ?")
    .get(hash) as (DashboardUser & { hash: string }) | undefined;
  if (!row || !isRole(row.role)) return undefined;
  // The lookup was by hash already; the constant-time compare keeps timing from telling anything either way.
  if (!timingSafeEqual(Buffer.from(row.hash, "hex"), Buffer.from(hash, "hex"))) return undefined;
  return { name: row.name, role: row.role, createdAt: row.createdAt };
}
