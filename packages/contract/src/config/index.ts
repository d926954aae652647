export {
  type AgentConfig,
  type AgentConfigInput,
  AgentConfigSchema,
  COMPUTE_BACKENDS,
  type ComputeBackend,
  formatIssues,
  LogSettingsSchema,
  PipelineSettingsSchema,
  parseConfigText,
  type RemoteAgentConfig,
  RemoteAgentConfigSchema,
  RetentionSettingsSchema,
  SyncSettingsSchema,
  validateAgentConfig,
} from "./agent-config";
export {
  type ConfigDocument,
  ConfigDocumentSchema,
  type ConfigEnvelope,
  ConfigEnvelopeSchema,
} from "./config-document";
