import { ackTopic, configTopic, downFilter, isAgentId, UP_KINDS, upTopic } from "@nqp/contract";

/**
 * Who is on the hub's broker: the hub itself (an internal credential that exists only in the hub's memory) or an
 * agent (username = agent id, password checked against the registry's scrypt hash).
 */
export type Principal = { kind: "hub" } | { kind: "agent"; id: string };

/** An agent publishes only its own uploads: nqp/v1/agents/{own id}/up/{kind}. */
export function mayPublish(who: Principal, topic: string): boolean {
  if (who.kind === "hub") return true;
  return UP_KINDS.some((k) => topic === upTopic(who.id, k));
}

/** An agent reads only its own down channel (its acks and its config), by exact topic or the down/+ filter. */
export function maySubscribe(who: Principal, filter: string): boolean {
  if (who.kind === "hub") return true;
  return filter === downFilter(who.id) || filter === ackTopic(who.id) || filter === configTopic(who.id);
}

/** Usernames that can be agents (the hub's internal username starts with '$', which agent ids cannot). */
export function agentUsername(username: string | undefined): string | undefined {
  return username !== undefined && isAgentId(username) ? username : undefined;
}
