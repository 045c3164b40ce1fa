import type { ErrorCode } from '../core/errors.ts';

/** A user-facing text, Chinese first. `{name}` placeholders are filled from an error's details. */
export interface Message {
  zh: string;
  en: string;
}

export const ERROR_MESSAGES: Record<ErrorCode, Message> = {
  'request.invalid': { zh: '请求参数有误：{issues}', en: 'Invalid request: {issues}' },
  'route.not_found': { zh: '没有这个接口：{method} {url}', en: 'No such route: {method} {url}' },
  internal: { zh: '服务器内部错误，请稍后再试', en: 'Internal server error, please try again later' },
  'region.invalid_code': {
    zh: '行政区划代码应为 2、4、6、9 或 12 位数字：{code}',
    en: 'A region code has 2, 4, 6, 9 or 12 digits: {code}',
  },
  'region.not_found': { zh: '找不到行政区划 {code}', en: 'Region {code} not found' },
  'geo.invalid_point': {
    zh: '坐标无效：经度应在 -180 到 180 之间，纬度应在 -90 到 90 之间',
    en: 'Invalid point: longitude must be within -180..180 and latitude within -90..90',
  },
  'geo.no_grid': { zh: '该位置 ({lon}, {lat}) 不在任何网格内', en: 'No grid contains ({lon}, {lat})' },
  'grid.not_found': { zh: '找不到网格 {code}', en: 'Grid {code} not found' },
  'grid.import_rejected': {
    zh: '网格导入被拒绝：{count} 个要素有误，未导入任何网格',
    en: 'Grid import rejected: {count} bad features, nothing was imported',
  },
  'grid.worker_already_assigned': {
    zh: '网格员 {worker} 已在网格 {grid} 任职',
    en: 'Grid worker {worker} is already assigned to grid {grid}',
  },
  'datadir.locked': {
    zh: '数据目录 {dir} 正被另一个运行中的服务使用（进程 {pid}）',
    en: 'Data directory {dir} is in use by another running server (pid {pid})',
  },
  'datadir.unusable': {
    zh: '数据目录 {dir} 无法使用：{reason}',
    en: 'Data directory {dir} cannot be used: {reason}',
  },
  'datadir.full': {
    zh: '数据目录 {dir} 所在磁盘空间不足：剩余 {free_mb} MB，至少需要 {min_mb} MB',
    en: 'Not enough disk space for data directory {dir}: {free_mb} MB free, {min_mb} MB needed',
  },
  'source.unavailable': { zh: '数据源不可用：{reason}', en: 'Data source unavailable: {reason}' },
};

/** Fills `{name}` placeholders from the details; unknown placeholders stay visible. */
export function formatMessage(template: string, details: Record<string, unknown>): string {
  return template.replace(/\{(\w+)\}/g, (whole, key: string) => {
    const value = details[key];
    return value === undefined ? whole : String(value);
  });
}

export function describeError(code: ErrorCode, details: Record<string, unknown>): Message {
  const message = ERROR_MESSAGES[code];
  return { zh: formatMessage(message.zh, details), en: formatMessage(message.en, details) };
}
