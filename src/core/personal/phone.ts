/**
 * A phone number as it is hashed for look-ups (docs/personal-data.md): digits only, the country
 * code of a mainland number dropped, so that `138 0013 8000`, `138-0013-8000` and
 * `+86 13800138000` find the same reporter. Null when no digits are left.
 */
export function normalizePhone(input: string): string | null {
  let digits = input.replace(/\D/g, '');
  if (/^(0086|86)1\d{10}$/.test(digits)) digits = digits.replace(/^(0086|86)/, '');
  return digits.length > 0 ? digits : null;
}
