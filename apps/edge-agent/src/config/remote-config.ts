import { createHash, type KeyObject } from "node:crypto";
import type { AgentConfig, ConfigDocument, RemoteAgentConfig } from "@nqp/contract";
import { verifyConfigEnvelope } from "@nqp/contract/signing";
import type { Logger } from "pino";
import type { AgentStore } from "../store/agent-store";

/** The agent's configuration with the last applied remote document on top. */
export function mergeRemote(base: AgentConfig, remote: RemoteAgentConfig | undefined): AgentConfig {
  if (!remote) return base;
  return {
    ...base,
    pipeline: { ...base.pipeline, ...remote.pipeline },
    retention: { ...base.retention, ...remote.retention },
    sync: { ...base.sync, ...remote.sync },
    log: { ...base.log, ...remote.log },
    labels: { ...base.labels, ...remote.labels },
    ingest: { ...base.ingest, streams: { ...base.ingest.streams, ...remote.streams } },
  };
}

export type ConfigOutcome =
  | { applied: true; version: number }
  | { applied: false; reason: string; message: string; version?: number }
  | { applied: false; reason: "already-applied"; version: number };

/**
 * Verifies and applies signed config documents from the hub. A document is applied only when its Ed25519 signature
 * verifies against the hub's public key, it is addressed to this agent (or to all), and its version is newer than
 * the last applied one. Both outcomes are written to the audit log, which syncs to the hub; a rejected payload is
 * audited once (the retained message comes back on every reconnect).
 */
export class RemoteConfig {
  private readonly auditedRejects = new Set<string>();

  constructor(
    private readonly o: {
      agentId: string;
      store: AgentStore;
      publicKey: KeyObject | undefined;
      apply: (doc: ConfigDocument) => void;
      log: Logger;
    },
  ) {}

  get version(): number {
    return Number(this.o.store.getMeta("config_version") ?? 0);
  }

  /** The remote document applied last (persisted), to re-apply on start. */
  appliedDocument(): ConfigDocument | undefined {
    const text = this.o.store.getMeta("config_doc");
    return text ? (JSON.parse(text) as ConfigDocument) : undefined;
  }

  receive(payload: Buffer): ConfigOutcome {
    const digest = createHash("sha256").update(payload).digest("hex");
    if (payload.byteLength === 0) return { applied: false, reason: "cleared", message: "empty retained message" };
    if (!this.o.publicKey)
      return this.refuse(
        digest,
        "no-public-key",
        "no hub public key is configured (hub.publicKey): configs cannot be verified",
      );
    const v = verifyConfigEnvelope(payload, this.o.publicKey);
    if (!v.ok) return this.refuse(digest, v.reason, v.message);
    const doc = v.doc;
    if (doc.agent !== "*" && doc.agent !== this.o.agentId)
      return this.refuse(digest, "wrong-agent", `the document is addressed to agent '${doc.agent}'`, doc.version);
    const current = this.version;
    if (doc.version <= current) {
      if (doc.version === current && this.o.store.getMeta("config_digest") === digest)
        return { applied: false, reason: "already-applied", version: doc.version };
      return this.refuse(
        digest,
        "stale-version",
        `version ${doc.version} is not newer than the applied version ${current} (replayed or out of order)`,
        doc.version,
      );
    }
    this.o.apply(doc);
    this.o.store.transaction(() => {
      this.o.store.setMeta("config_version", String(doc.version));
      this.o.store.setMeta("config_doc", JSON.stringify(doc));
      this.o.store.setMeta("config_digest", digest);
      this.o.store.appendAudit(`agent:${this.o.agentId}`, "config-applied", {
        version: doc.version,
        addressedTo: doc.agent,
        issuedAt: doc.issuedAt,
        digest,
        keys: Object.keys(doc.config),
      });
    });
    this.o.log.info({ version: doc.version }, "applied config from the hub");
    return { applied: true, version: doc.version };
  }

  private refuse(digest: string, reason: string, message: string, version?: number): ConfigOutcome {
    // Audited once per payload, across restarts too (the retained message comes back on every connect).
    if (!this.auditedRejects.has(digest) && this.o.store.getMeta("config_rejected_digest") !== digest) {
      this.auditedRejects.add(digest);
      this.o.store.transaction(() => {
        this.o.store.setMeta("config_rejected_digest", digest);
        this.o.store.appendAudit(`agent:${this.o.agentId}`, "config-rejected", { reason, message, version, digest });
      });
      this.o.log.warn({ reason, version }, `refused a config document: ${message}`);
    }
    return { applied: false, reason, message, version };
  }
}
