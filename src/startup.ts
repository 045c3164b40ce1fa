import { describeError } from './i18n/messages.ts';
import { isDomainError } from './core/errors.ts';

/** One line for a failed command or start: the reason in Chinese and English, no stack. */
export function oneLineReason(error: unknown): string {
  if (isDomainError(error)) {
    const { zh, en } = describeError(error.code, error.details);
    return `${zh} / ${en} [${error.code}]`;
  }
  const e = error as { code?: string; message?: string };
  const message = (e.message ?? String(error)).split('\n')[0];
  return e.code ? `${e.code}: ${message}` : (message ?? 'unknown error');
}
