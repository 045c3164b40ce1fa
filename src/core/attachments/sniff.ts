/**
 * What a file is, decided from its first bytes (magic numbers), never from its name or the type
 * the client declared: a phone may call a PNG screenshot `photo.jpg`, and a hostile client may
 * call anything `image/jpeg`.
 */
export const SNIFFED_TYPES = [
  'image/jpeg',
  'image/png',
  'image/gif',
  'image/webp',
  'image/heic',
  'image/avif',
  'application/pdf',
] as const;
export type SniffedType = (typeof SNIFFED_TYPES)[number];

const startsWith = (bytes: Uint8Array, offset: number, signature: readonly number[]) =>
  bytes.length >= offset + signature.length && signature.every((b, i) => bytes[offset + i] === b);

const ascii = (text: string) => [...text].map((c) => c.charCodeAt(0));

const HEIC_BRANDS = new Set(['heic', 'heix', 'heim', 'heis', 'hevc', 'hevx', 'hevm', 'hevs']);
const AVIF_BRANDS = new Set(['avif', 'avis']);
// Brands that say only "a HEIF container": the compatible brands tell AVIF from HEIC.
const GENERIC_HEIF_BRANDS = new Set(['mif1', 'msf1', 'miaf']);

function brandAt(bytes: Uint8Array, offset: number): string {
  return String.fromCharCode(...bytes.subarray(offset, offset + 4));
}

/** ISO BMFF `ftyp` box: major brand at 8, compatible brands from 16 to the end of the box. */
function sniffHeif(bytes: Uint8Array): SniffedType | null {
  if (!startsWith(bytes, 4, ascii('ftyp')) || bytes.length < 12) return null;
  const boxSize = ((bytes[0]! << 24) | (bytes[1]! << 16) | (bytes[2]! << 8) | bytes[3]!) >>> 0;
  const end = Math.min(boxSize || bytes.length, bytes.length, 256);
  const brands = [brandAt(bytes, 8)];
  for (let offset = 16; offset + 4 <= end; offset += 4) brands.push(brandAt(bytes, offset));
  if (brands.some((b) => AVIF_BRANDS.has(b))) return 'image/avif';
  if (brands.some((b) => HEIC_BRANDS.has(b))) return 'image/heic';
  if (GENERIC_HEIF_BRANDS.has(brands[0]!)) return 'image/heic';
  return null;
}

/**
 * The type of a file by its content, or null when it is none of the types Shanzhi keeps.
 *
 * ```ts
 * sniffType(readFileSync('screenshot-renamed.jpg')); // 'image/png'
 * sniffType(Buffer.from('hello'));                   // null
 * ```
 */
export function sniffType(bytes: Uint8Array): SniffedType | null {
  if (startsWith(bytes, 0, [0xff, 0xd8, 0xff])) return 'image/jpeg';
  if (startsWith(bytes, 0, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'image/png';
  if (startsWith(bytes, 0, ascii('GIF87a')) || startsWith(bytes, 0, ascii('GIF89a'))) return 'image/gif';
  if (startsWith(bytes, 0, ascii('RIFF')) && startsWith(bytes, 8, ascii('WEBP'))) return 'image/webp';
  if (startsWith(bytes, 0, ascii('%PDF-'))) return 'application/pdf';
  return sniffHeif(bytes);
}

export function isImageType(type: SniffedType): boolean {
  return type.startsWith('image/');
}
