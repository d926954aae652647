export { cutValue, maxCutToIsing, parseRudyGraph, type WeightedGraph } from "./maxcut";
