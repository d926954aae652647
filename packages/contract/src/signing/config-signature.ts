import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  type KeyObject,
  sign,
  verify,
} from "node:crypto";
import { NqpError } from "@nqp/core";
import { type ConfigDocument, ConfigDocumentSchema, type ConfigEnvelope, ConfigEnvelopeSchema } from "../config";
import { formatIssues } from "../config/agent-config";

/**
 * Ed25519 signatures for config documents (RFC 8032, through node:crypto). The hub holds the private key; agents
 * are given the public key and apply only documents it signed.
 */
export interface SigningKeyPair {
  privateKeyPem: string;
  publicKeyPem: string;
}

export function generateSigningKeyPair(): SigningKeyPair {
  const { privateKey, publicKey } = generateKeyPairSync("ed25519");
  return {
    privateKeyPem: privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
    publicKeyPem: publicKey.export({ type: "spki", format: "pem" }).toString(),
  };
}

/** Reads a public key given as PEM or as base64 SPKI DER (one line, easy to paste into a config file). */
export function parsePublicKey(text: string): KeyObject {
  const t = text.trim();
  try {
    const key = t.startsWith("-----")
      ? createPublicKey(t)
      : createPublicKey({ key: Buffer.from(t, "base64"), format: "der", type: "spki" });
    if (key.asymmetricKeyType !== "ed25519") throw new Error("not an Ed25519 key");
    return key;
  } catch (err) {
    throw new NqpError(
      "bad-public-key",
      `the hub public key is not a valid Ed25519 key (PEM or base64 SPKI expected): ${(err as Error).message}`,
    );
  }
}

export function publicKeyBase64(key: KeyObject): string {
  return key.export({ type: "spki", format: "der" }).toString("base64");
}

export function keyFingerprint(key: KeyObject): string {
  const der = key.export({ type: "spki", format: "der" });
  return createHash("sha256").update(der).digest("hex").slice(0, 16);
}

export function signConfigDocument(doc: ConfigDocument, privateKeyPem: string): ConfigEnvelope {
  const key = createPrivateKey(privateKeyPem);
  const text = JSON.stringify(ConfigDocumentSchema.parse(doc));
  const sig = sign(null, Buffer.from(text, "utf8"), key).toString("base64");
  return { v: 1, doc: text, sig, key: keyFingerprint(createPublicKey(key)) };
}

export type ConfigVerification =
  | { ok: true; doc: ConfigDocument }
  | { ok: false; reason: "malformed" | "bad-signature" | "invalid-document"; message: string };

/** Checks the envelope's shape, its signature against `publicKey`, then the document's schema. Never throws. */
export function verifyConfigEnvelope(payload: string | Uint8Array, publicKey: KeyObject): ConfigVerification {
  let raw: unknown;
  try {
    raw = JSON.parse(typeof payload === "string" ? payload : Buffer.from(payload).toString("utf8"));
  } catch {
    return { ok: false, reason: "malformed", message: "config payload is not JSON" };
  }
  const env = ConfigEnvelopeSchema.safeParse(raw);
  if (!env.success) return { ok: false, reason: "malformed", message: formatIssues(env.error.issues) };
  let good = false;
  try {
    good = verify(null, Buffer.from(env.data.doc, "utf8"), publicKey, Buffer.from(env.data.sig, "base64"));
  } catch {
    good = false;
  }
  if (!good)
    return { ok: false, reason: "bad-signature", message: "signature does not verify against the hub's public key" };
  let docRaw: unknown;
  try {
    docRaw = JSON.parse(env.data.doc);
  } catch {
    return { ok: false, reason: "invalid-document", message: "signed document is not JSON" };
  }
  const doc = ConfigDocumentSchema.safeParse(docRaw);
  if (!doc.success) return { ok: false, reason: "invalid-document", message: formatIssues(doc.error.issues) };
  return { ok: true, doc: doc.data };
}
