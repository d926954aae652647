export { buildReport, type ReportMeta } from "./build-report";
export {
  EventScoresSchema,
  type StreamValidation,
  StreamValidationSchema,
  VALIDATION_REPORT_KIND,
  VALIDATION_REPORT_VERSION,
  type ValidationMetricsReport,
  ValidationMetricsSchema,
  type ValidationReport,
  ValidationReportSchema,
  ValidationScoreSchema,
} from "./report";
