export {
  type ConfigVerification,
  generateSigningKeyPair,
  keyFingerprint,
  parsePublicKey,
  publicKeyBase64,
  type SigningKeyPair,
  signConfigDocument,
  verifyConfigEnvelope,
} from "./config-signature";
