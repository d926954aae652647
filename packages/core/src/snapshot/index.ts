export { type PackedNumbers, packNumbers, unpackNumberArray, unpackNumbers } from "./codec";
