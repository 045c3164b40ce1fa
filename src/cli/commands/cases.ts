import { sweepCases } from '../../cases/sweep-cases.ts';
import { loadConfig } from '../../config.ts';
import { systemClock } from '../../core/clock.ts';
import { foldAllCountDeltas } from '../../indicators/count-deltas.ts';
import { RulesCache } from '../../responsibility/rules-cache.ts';
import type { Command } from '../command.ts';

export const CASE_COMMANDS: Record<string, Command> = {
  sweep: {
    usage: 'shanzhi sweep',
    summary: '扫描时限：发出 50%/80%/100% 提醒并对超期案件提级 / Run the deadline sweeper once',
    options: {},
    async run(store) {
      const config = loadConfig();
      const r = await sweepCases(
        { store, clock: systemClock, rules: new RulesCache(store.db) },
        { overdueMs: config.overdueHours * 3_600_000 },
      );
      // The indicator count deltas of these steps and any left pending (decisions/0005).
      const folded = await foldAllCountDeltas(store);
      return `checked ${r.checked} stages: ${r.notices} notices, ${r.escalated} escalated, ${r.skipped} changed meanwhile; ${folded} count deltas folded`;
    },
  },
};
