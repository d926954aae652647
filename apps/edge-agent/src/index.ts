// @nqp/edge-agent: MQTT ingest → per-stream pipeline → SQLite outbox → sync to the hub.
export { AGENT_VERSION, Agent, type AgentEvents, type AgentOptions } from "./agent";
export { AGENT_DB_FILE, isAgentDataDir, verifyAgentAudit } from "./audit/verify";
export { type ConfigOverrides, loadAgentConfig } from "./config/load-config";
export type { CommitInfo } from "./ingest/ingest-processor";
export { LoadGenerator, type LoadGeneratorOptions, type LoadGeneratorStats } from "./simulator/load-generator";
export { AgentStore, type OutboxRecord } from "./store/agent-store";
export { corePipelineProvider, type PipelineFactory, type PipelineProvider } from "./streams/pipeline-factory";
