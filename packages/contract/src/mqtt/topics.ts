import { NqpError } from "@nqp/core";

/**
 * MQTT topics between agents and hubs. Everything lives under one versioned root so that a future wire format can
 * run beside this one on the same broker:
 *
 *   nqp/v1/agents/{agentId}/up/{kind}     agent → hub, QoS 1 batches (kind: predictions, anomalies, audit, status)
 *   nqp/v1/agents/{agentId}/down/ack      hub → agent, retained: the highest contiguous seq the hub has stored
 *   nqp/v1/agents/{agentId}/down/config   hub → agent, retained: the signed config document for this agent
 */
export const TOPIC_ROOT = "nqp/v1";

export const UP_KINDS = ["predictions", "anomalies", "audit", "status"] as const;
export type UpKind = (typeof UP_KINDS)[number];

export const DOWN_KINDS = ["ack", "config"] as const;
export type DownKind = (typeof DOWN_KINDS)[number];

/**
 * Agent ids are MQTT usernames and topic levels, so they may not contain '/', '+', '#' or '$', and are short enough
 * for any broker's client-id limit once prefixed.
 */
export const AGENT_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;

export function isAgentId(id: string): boolean {
  return AGENT_ID_PATTERN.test(id);
}

export function assertAgentId(id: string, where = "agent id"): string {
  if (!isAgentId(id))
    throw new NqpError(
      "bad-agent-id",
      `${where} '${id}' is not valid: use 1-64 letters, digits, '_', '.' or '-', starting with a letter or digit`,
    );
  return id;
}

export function upTopic(agentId: string, kind: UpKind): string {
  return `${TOPIC_ROOT}/agents/${agentId}/up/${kind}`;
}

export function ackTopic(agentId: string): string {
  return `${TOPIC_ROOT}/agents/${agentId}/down/ack`;
}

export function configTopic(agentId: string): string {
  return `${TOPIC_ROOT}/agents/${agentId}/down/config`;
}

/** The filter a hub subscribes to for every agent's uploads; `group` makes it an MQTT 5 shared subscription. */
export function upFilter(group?: string): string {
  const filter = `${TOPIC_ROOT}/agents/+/up/+`;
  return group ? `$share/${group}/${filter}` : filter;
}

/** What an agent may subscribe to: its own down channel only. */
export function downFilter(agentId: string): string {
  return `${TOPIC_ROOT}/agents/${agentId}/down/+`;
}

export type AgentTopic =
  | { agentId: string; direction: "up"; kind: UpKind }
  | { agentId: string; direction: "down"; kind: DownKind };

/** Parses an agent topic; returns undefined for anything that is not exactly one of the topics above. */
export function parseAgentTopic(topic: string): AgentTopic | undefined {
  const parts = topic.split("/");
  if (parts.length !== 6 || `${parts[0]}/${parts[1]}` !== TOPIC_ROOT || parts[2] !== "agents") return undefined;
  const [, , , agentId, direction, kind] = parts;
  if (!isAgentId(agentId)) return undefined;
  if (direction === "up" && (UP_KINDS as readonly string[]).includes(kind))
    return { agentId, direction, kind: kind as UpKind };
  if (direction === "down" && (DOWN_KINDS as readonly string[]).includes(kind))
    return { agentId, direction, kind: kind as DownKind };
  return undefined;
}

/**
 * MQTT topic-filter matching (MQTT 3.1.1 §4.7): '+' matches one level, a trailing '#' any number (including none);
 * filters starting with a wildcard never match topics starting with '$'.
 */
export function topicMatches(filter: string, topic: string): boolean {
  if (topic.startsWith("$") && (filter.startsWith("+") || filter.startsWith("#"))) return false;
  const f = filter.split("/");
  const t = topic.split("/");
  for (let i = 0; i < f.length; i++) {
    if (f[i] === "#") return i === f.length - 1;
    if (i >= t.length) return false;
    if (f[i] !== "+" && f[i] !== t[i]) return false;
  }
  return f.length === t.length;
}

/** Checks a subscription filter's syntax (wildcards only as whole levels, '#' only last). */
export function isValidFilter(filter: string): boolean {
  if (filter.length === 0 || filter.length > 65535) return false;
  const levels = filter.split("/");
  return levels.every((l, i) => {
    if (l === "#") return i === levels.length - 1;
    if (l === "+") return true;
    return !l.includes("#") && !l.includes("+");
  });
}
