import { ackTopic, configTopic, downFilter, upTopic } from "@nqp/contract";
import { describe, expect, it } from "vitest";
import { agentUsername, mayPublish, maySubscribe } from "./access";

describe("broker access control", () => {
  const a = { kind: "agent" as const, id: "a" };
  it("lets an agent publish only its own uploads", () => {
    expect(mayPublish(a, upTopic("a", "predictions"))).toBe(true);
    expect(mayPublish(a, upTopic("a", "status"))).toBe(true);
    expect(mayPublish(a, upTopic("b", "predictions"))).toBe(false);
    expect(mayPublish(a, ackTopic("a"))).toBe(false);
    expect(mayPublish(a, configTopic("a"))).toBe(false);
    expect(mayPublish(a, "sensors/x")).toBe(false);
    expect(mayPublish({ kind: "hub" }, configTopic("a"))).toBe(true);
  });
  it("lets an agent read only its own down channel", () => {
    expect(maySubscribe(a, downFilter("a"))).toBe(true);
    expect(maySubscribe(a, configTopic("a"))).toBe(true);
    expect(maySubscribe(a, configTopic("b"))).toBe(false);
    expect(maySubscribe(a, "nqp/v1/agents/+/down/config")).toBe(false);
    expect(maySubscribe(a, "#")).toBe(false);
    expect(maySubscribe(a, "nqp/v1/agents/a/#")).toBe(false);
  });
  it("never treats the hub's internal username as an agent", () => {
    expect(agentUsername("$hub-x")).toBeUndefined();
    expect(agentUsername("a")).toBe("a");
  });
});
