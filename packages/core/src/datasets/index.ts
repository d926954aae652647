export { type MackeyGlassOptions, mackeyGlass } from "./mackey-glass";
export { narma10 } from "./narma10";
export {
  createSensorSimulator,
  SENSOR_FAULT_KINDS,
  type SensorFaultKind,
  type SensorReading,
  type SensorSeries,
  type SensorSimulator,
  type SensorSimulatorOptions,
  sensorFleetOptions,
  sensorSeries,
} from "./sensor";
