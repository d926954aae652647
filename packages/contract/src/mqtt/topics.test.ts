import { describe, expect, it } from "vitest";
import {
  ackTopic,
  configTopic,
  isAgentId,
  isValidFilter,
  parseAgentTopic,
  topicMatches,
  upFilter,
  upTopic,
} from "./topics";

describe("agent topics", () => {
  it("round-trips every topic through its parser", () => {
    expect(parseAgentTopic(upTopic("press-01", "predictions"))).toEqual({
      agentId: "press-01",
      direction: "up",
      kind: "predictions",
    });
    expect(parseAgentTopic(ackTopic("a"))).toEqual({ agentId: "a", direction: "down", kind: "ack" });
    expect(parseAgentTopic(configTopic("a"))).toEqual({ agentId: "a", direction: "down", kind: "config" });
  });

  it("rejects anything that is not exactly an agent topic", () => {
    for (const t of [
      "nqp/v1/agents/a/up/weather",
      "nqp/v1/agents/a/up/predictions/extra",
      "nqp/v2/agents/a/up/predictions",
      "nqp/v1/agents/+/up/predictions",
      "nqp/v1/agents//up/predictions",
      "nqp/v1/agents/a/sideways/ack",
    ])
      expect(parseAgentTopic(t), t).toBeUndefined();
  });

  it("accepts only ids that are safe as topic levels and usernames", () => {
    expect(isAgentId("line-3.press_2")).toBe(true);
    for (const bad of ["", "a/b", "a+", "#", "$hub", "-x", "x".repeat(65)]) expect(isAgentId(bad), bad).toBe(false);
  });

  it("matches filters as MQTT 3.1.1 §4.7 says", () => {
    expect(topicMatches("sensors/#", "sensors/a/b")).toBe(true);
    expect(topicMatches("sensors/#", "sensors")).toBe(true);
    expect(topicMatches("sensors/+/temp", "sensors/l1/temp")).toBe(true);
    expect(topicMatches("sensors/+/temp", "sensors/l1/x/temp")).toBe(false);
    expect(topicMatches("#", "$SYS/x")).toBe(false);
    expect(topicMatches(upFilter(), upTopic("a", "audit"))).toBe(true);
    expect(upFilter("g")).toBe("$share/g/nqp/v1/agents/+/up/+");
    expect(isValidFilter("a/#/b")).toBe(false);
    expect(isValidFilter("a/b+")).toBe(false);
    expect(isValidFilter("a/+/#")).toBe(true);
  });
});
