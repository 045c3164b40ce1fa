import { maskIdNumber, maskPhone } from './masking.ts';

// Order matters: an 18-character ID number would otherwise lose its middle to the phone pattern.
const ID_NUMBER = /(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])/g;
const MOBILE = /(?<!\d)(?:\+?86[\s-]?)?1[3-9]\d(?:[\s-]?\d{4}){2}(?!\d)/g;
const LANDLINE = /(?<!\d)0\d{2,3}[\s-]?\d{7,8}(?!\d)/g;
const EMAIL = /[\w.+-]+@[\w-]+(?:\.[\w-]+)+/g;

/**
 * Masks contact details a handler may have typed into a free-text reason before it is shown to
 * the public: ID numbers, mobile and landline numbers, e-mail addresses. A safety net, not a
 * licence: only reasons written for the public are shown at all (docs/web.md).
 *
 * ```ts
 * redactContacts('已联系 13800138000 处理') // → '已联系 138****8000 处理'
 * ```
 */
export function redactContacts(text: string): string {
  return text
    .replace(ID_NUMBER, (m) => maskIdNumber(m))
    .replace(MOBILE, (m) => maskPhone(m.replace(/^\+?86/, '')))
    .replace(LANDLINE, (m) => maskPhone(m))
    .replace(EMAIL, (m) => `${m[0]}***@${m.split('@')[1]}`);
}
