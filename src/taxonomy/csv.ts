export { parseCsv, toCsv, type CsvRecord } from '../core/csv.ts';
