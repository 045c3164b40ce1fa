/**
 * Stages of a case after GB/T 30428 (信息收集 → 立案 → 派遣 → 处置 → 核查 → 结案), with the side states
 * Shanzhi needs. The Zod enum, the database CHECK, the OpenAPI enum and the console's labels all
 * come from here.
 */
export const STAGES = [
  'reported', // 上报: received, not yet registered
  'verifying', // 核实: sent for an on-site check before registration
  'registered', // 立案: accepted as a case, waiting for dispatch
  'dispatched', // 派遣: sent to the owner, waiting for accept or return
  'arbitration', // 争议: returned twice, the command centre decides the owner
  'handling', // 处置: the owner works on it
  'awaiting_verification', // 待核查: feedback given, waiting for verification
  'verified', // 核查通过: waiting for closure
  'closed', // 结案
  'closed_unfixed', // 结案但未解决: the resident says it is not fixed (an honest state of its own)
  'parked', // 挂账: clock paused
  'voided', // 作废
  'merged', // 合并: a duplicate linked to its original
] as const;
export type Stage = (typeof STAGES)[number];

/** Stages a case no longer moves out of by handling (rating and reopening aside). */
export const FINAL_STAGES: readonly Stage[] = ['closed', 'closed_unfixed', 'voided', 'merged'];

export function isOpenStage(stage: Stage): boolean {
  return !FINAL_STAGES.includes(stage);
}

/** Where a report came from. */
export const CHANNELS = ['web', 'hotline', 'patrol', 'open311', 'sensor', 'referral', 'whistle'] as const;
export type Channel = (typeof CHANNELS)[number];
