// The one shared contract: file formats, MQTT topics and payloads, config schema, and the desktop/hub API.
// Node-only parts (hash chains, signatures) live at @nqp/contract/audit and @nqp/contract/signing, so that browser
// bundles can import this index.
export * from "./api";
export * from "./config";
export * from "./formats";
export * from "./mqtt";
export * from "./validation";
