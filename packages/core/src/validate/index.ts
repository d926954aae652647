export * from "./nab";
