import { createPrivateKey, createPublicKey, type KeyObject } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { generateSigningKeyPair, keyFingerprint, publicKeyBase64 } from "@nqp/contract/signing";

export const SIGNING_KEY_FILE = "hub-signing-key.pem";

export interface HubSigningKey {
  privateKeyPem: string;
  publicKey: KeyObject;
  /** Base64 SPKI DER, one line: what agents put in hub.publicKey. */
  publicKeyBase64: string;
  fingerprint: string;
}

/** The hub's Ed25519 config-signing key, created on first use in the data directory (readable by the owner only). */
export function loadSigningKey(dataDir: string): HubSigningKey {
  const file = join(dataDir, SIGNING_KEY_FILE);
  if (!existsSync(file)) {
    mkdirSync(dataDir, { recursive: true });
    const pair = generateSigningKeyPair();
    writeFileSync(file, pair.privateKeyPem, { mode: 0o600, flag: "wx" });
  }
  const privateKeyPem = readFileSync(file, "utf8");
  const publicKey = createPublicKey(createPrivateKey(privateKeyPem));
  return {
    privateKeyPem,
    publicKey,
    publicKeyBase64: publicKeyBase64(publicKey),
    fingerprint: keyFingerprint(publicKey),
  };
}
