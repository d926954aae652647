// The one shared contract: file formats, MQTT topics and payloads, config schema, and the desktop/hub API.
export * from "./formats";
