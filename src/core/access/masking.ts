/**
 * Personal-data masking for people who may see a case but not who reported it (analysts' drill
 * downs, handlers without case.read_personal_data, public pages). Masking keeps the length so that
 * a masked value still looks like the kind of value it was.
 */

function keepEnds(value: string, head: number, tail: number): string {
  const chars = [...value];
  if (chars.length <= head + tail) return '*'.repeat(chars.length);
  return chars.slice(0, head).join('') + '*'.repeat(chars.length - head - tail) + chars.slice(-tail).join('');
}

/** `maskPhone('13800138000')` → `'138****8000'`; separators and spaces are dropped first. */
export function maskPhone(phone: string): string {
  const compact = phone.replace(/[\s-]/g, '');
  return compact.length >= 8 ? keepEnds(compact, 3, 4) : keepEnds(compact, 0, 2);
}

/** `maskName('张三丰')` → `'张**'`: the first character (usually the surname) stays. */
export function maskName(name: string): string {
  const chars = [...name.trim()];
  if (chars.length <= 1) return '*';
  return chars[0] + '*'.repeat(chars.length - 1);
}

/** `maskIdNumber('330106199001011234')` → `'330***********1234'` (居民身份证号, 18 characters). */
export function maskIdNumber(id: string): string {
  return keepEnds(id.trim(), 3, 4);
}
