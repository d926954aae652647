/**
 * Who may do what through the dashboard API. Roles are ordered: each includes the rights of the ones before it.
 *
 *   viewer   reads everything (fleet, streams, anomalies, configs, audit) and runs local analyses
 *   analyst  also acknowledges and annotates anomalies
 *   admin    also pushes and rolls back signed agent configs
 */
export const ROLES = ["viewer", "analyst", "admin"] as const;
export type Role = (typeof ROLES)[number];

export function isRole(x: unknown): x is Role {
  return typeof x === "string" && (ROLES as readonly string[]).includes(x);
}

/** True when `role` holds at least the rights of `required`. */
export function roleAllows(role: Role, required: Role): boolean {
  return ROLES.indexOf(role) >= ROLES.indexOf(required);
}
