export {
  type AuditEntry,
  type AuditEntryContent,
  type AuditProblem,
  type AuditVerification,
  auditHash,
  canonicalJson,
  chainEntry,
  GENESIS_HASH,
  verifyAuditChain,
} from "./chain";
