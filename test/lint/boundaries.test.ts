import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ESLint } from 'eslint';

// The folder rule of docs/ARCHITECTURE.md, as `npx eslint` applies it to a new file: each
// fixture is linted as if it sat at `filePath`, with the project's own eslint.config.js.
const eslint = new ESLint({ cwd: process.cwd() });

async function crossings(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return result!.messages.filter((m) => m.ruleId === 'shanzhi/boundaries').map((m) => m.message);
}

describe('the folder boundary in eslint.config.js', () => {
  const refused: Array<[string, string, RegExp]> = [
    [
      'src/core/workflow/new-rule.ts',
      "import { openStore } from '../../db/database.ts';",
      /core\/ imports nothing else/,
    ],
    [
      'src/core/new-rule.ts',
      "import type { Case } from '../cases/case-rows.ts';",
      /core\/ imports nothing else/,
    ],
    ['src/core/calendar/x.ts', "export { getCalendar } from '../../calendar/get-calendar.ts';", /core\//],
    [
      'src/api/new-schema.ts',
      "import { listCases } from '../cases/list-cases.ts';",
      /api\/ .* imports only core/,
    ],
    ['src/cases/new-use-case.ts', "import { CaseListQuery } from '../api/cases.ts';", /never import api\//],
    ['src/responsibility/x.ts', "import { buildApp } from '../http/app.ts';", /never import http\//],
    ['src/grids/x.ts', "const m = await import('../cli/main.ts');", /never import cli\//],
    ['src/mail/x.ts', "import { loadConfig } from '../config.ts';", /entry files/],
  ];
  for (const [file, code, why] of refused) {
    it(`refuses in ${file}: ${code}`, async () => {
      const found = await crossings(file, code);
      assert.equal(found.length, 1, `expected one boundary error, got ${JSON.stringify(found)}`);
      assert.match(found[0]!, why);
    });
  }

  const allowed: Array<[string, string]> = [
    ['src/core/workflow/x.ts', "import { addWorkingTime } from '../calendar/work-calendar.ts';"],
    ['src/api/x.ts', "import { MAX_PAGE } from '../core/paging.ts';"],
    ['src/api/x.ts', "import { RegionCodeInput } from './common.ts';"],
    ['src/cases/x.ts', "import { stepRows } from './step-rows.ts';"],
    ['src/open311/x.ts', "import { reportCase } from '../cases/report-case.ts';"],
    ['src/http/routes/x.ts', "import { CaseListQuery } from '../../api/cases.ts';"],
    ['src/cli/commands/x.ts', "import { HolidayYearBody } from '../../api/calendar.ts';"],
    ['src/main.ts', "import { buildApp } from './http/app.ts';"],
  ];
  for (const [file, code] of allowed) {
    it(`allows in ${file}: ${code}`, async () => {
      assert.deepEqual(await crossings(file, code), []);
    });
  }

  it('holds for every file in src/ today', async () => {
    const results = await eslint.lintFiles(['src/**/*.ts']);
    const found = results.flatMap((r) =>
      r.messages.filter((m) => m.ruleId === 'shanzhi/boundaries').map((m) => `${r.filePath}: ${m.message}`),
    );
    assert.deepEqual(found, []);
  });
});
