import { z } from "zod";
import { AGENT_ID_PATTERN } from "../mqtt/topics";
import { RemoteAgentConfigSchema } from "./agent-config";

/**
 * A versioned config document for one agent (or "*": every agent), as the hub signs it. Versions come from one
 * counter per hub, so every agent sees them strictly increase; an agent applies a document only when its version is
 * newer than the last one it applied (a replayed older document is refused and audited).
 */
export const ConfigDocumentSchema = z.strictObject({
  agent: z.union([z.literal("*"), z.string().regex(AGENT_ID_PATTERN)]),
  version: z.number().int().positive(),
  issuedAt: z.number().int().min(0),
  config: RemoteAgentConfigSchema,
});
export type ConfigDocument = z.infer<typeof ConfigDocumentSchema>;

/**
 * What travels on nqp/v1/agents/{id}/down/config (retained). The signature covers the exact bytes of `doc` (the
 * document's JSON text), so no canonical JSON form is needed.
 */
export const ConfigEnvelopeSchema = z.strictObject({
  v: z.literal(1),
  doc: z.string().min(2).max(1_000_000),
  /** Ed25519 signature of the UTF-8 bytes of `doc`, base64. */
  sig: z.string().regex(/^[A-Za-z0-9+/]{86}==$/, "must be a base64 Ed25519 signature"),
  /** Fingerprint of the signing key (first 16 hex digits of SHA-256 of its SPKI DER). */
  key: z.string().regex(/^[0-9a-f]{16}$/),
});
export type ConfigEnvelope = z.infer<typeof ConfigEnvelopeSchema>;
