import { describe, expect, it } from "vitest";
import { parseConfigText, validateAgentConfig } from "./agent-config";

const minimal = { id: "press-01", data: "/tmp/x", ingest: { url: "mqtt://127.0.0.1:1883" } };

describe("agent config", () => {
  it("fills defaults, nested ones included", () => {
    const c = validateAgentConfig(minimal);
    expect(c.ingest.topics).toEqual(["sensors/#"]);
    expect(c.sync.batchRecords).toBe(2000);
    expect(c.storage.durability).toBe("batched");
    expect(c.retention.maxAgeHours).toBe(168);
    expect(c.log.level).toBe("info");
  });

  it("reads YAML and JSON alike", () => {
    const y = parseConfigText(
      "id: press-01\ndata: /tmp/x\ningest:\n  url: mqtt://h:1883\n  topics: [a/#, b/+]\n",
      "a.yaml",
    );
    expect(validateAgentConfig(y).ingest.topics).toEqual(["a/#", "b/+"]);
    const j = parseConfigText(JSON.stringify(minimal), "a.json");
    expect(validateAgentConfig(j).id).toBe("press-01");
  });

  it("names the key path of every problem", () => {
    const bad = {
      ...minimal,
      id: "bad/id",
      ingest: { url: "http://x", topics: ["ok/#", "a/#/b"] },
      sync: { batchRecords: 0, typo: 1 },
    };
    const message = (() => {
      try {
        validateAgentConfig(bad, "agent.yaml");
        return "";
      } catch (err) {
        return (err as Error).message;
      }
    })();
    expect(message).toMatch(/^agent\.yaml: /);
    expect(message).toMatch(/\bid: /);
    expect(message).toMatch(/ingest\.url: must be a broker URL/);
    expect(message).toMatch(/ingest\.topics\[1\]: is not a valid MQTT topic filter/);
    expect(message).toMatch(/sync\.batchRecords: /);
    expect(message).toMatch(/sync: unknown key typo/);
  });

  it("names the line of a YAML syntax error", () => {
    expect(() => parseConfigText("id: a\ningest: [1,\n  x: 2\n", "a.yaml")).toThrow(/a\.yaml: line \d+: /);
    expect(() => parseConfigText("- 1\n- 2\n", "a.yaml")).toThrow(/mapping/);
  });
});
