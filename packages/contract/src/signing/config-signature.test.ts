import { describe, expect, it } from "vitest";
import type { ConfigDocument } from "../config";
import {
  generateSigningKeyPair,
  parsePublicKey,
  publicKeyBase64,
  signConfigDocument,
  verifyConfigEnvelope,
} from "./config-signature";

const doc: ConfigDocument = {
  agent: "a1",
  version: 3,
  issuedAt: 1_700_000_000_000,
  config: { sync: { batchRecords: 500 } },
};

describe("config signatures", () => {
  const keys = generateSigningKeyPair();
  const pub = parsePublicKey(keys.publicKeyPem);

  it("verifies what the hub signed, from PEM and from base64 alike", () => {
    const env = signConfigDocument(doc, keys.privateKeyPem);
    expect(verifyConfigEnvelope(JSON.stringify(env), pub)).toEqual({ ok: true, doc });
    expect(verifyConfigEnvelope(JSON.stringify(env), parsePublicKey(publicKeyBase64(pub))).ok).toBe(true);
  });

  it("refuses a tampered document, a foreign key and garbage", () => {
    const env = signConfigDocument(doc, keys.privateKeyPem);
    const tampered = { ...env, doc: env.doc.replace('"batchRecords":500', '"batchRecords":501') };
    expect(verifyConfigEnvelope(JSON.stringify(tampered), pub)).toMatchObject({ ok: false, reason: "bad-signature" });
    const other = parsePublicKey(generateSigningKeyPair().publicKeyPem);
    expect(verifyConfigEnvelope(JSON.stringify(env), other)).toMatchObject({ ok: false, reason: "bad-signature" });
    expect(verifyConfigEnvelope("{", pub)).toMatchObject({ ok: false, reason: "malformed" });
    expect(verifyConfigEnvelope(JSON.stringify({ ...env, sig: "x" }), pub)).toMatchObject({
      ok: false,
      reason: "malformed",
    });
  });

  it("rejects keys that are not Ed25519 public keys", () => {
    expect(() => parsePublicKey("not a key")).toThrow(/not a valid Ed25519 key/);
  });
});
