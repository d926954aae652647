export { type CsvColumn, type CsvNumberFormat, formatCsv } from "./csv-write";
export { type ReadSeriesOptions, readSeriesCsv, type SeriesTable } from "./series-csv";
export { parseTimestamp } from "./timestamp";
