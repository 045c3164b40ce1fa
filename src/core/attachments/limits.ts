import type { SniffedType } from './sniff.ts';

/** Bounds of an upload and of the images kept from it. */
export interface AttachmentLimits {
  /** Largest upload accepted, in bytes (SHANZHI_ATTACHMENT_MAX_MB). */
  maxBytes: number;
  /** The longest side of a stored image, in pixels; larger photos are scaled down. */
  maxSide: number;
  /** The longest side of a thumbnail, in pixels. */
  thumbnailSide: number;
  /**
   * Decoded pixels an image may have: a small file can inflate to gigabytes (a decompression
   * bomb). 100 megapixels admits every phone camera's normal output.
   */
  maxPixels: number;
}

export const DEFAULT_ATTACHMENT_LIMITS: AttachmentLimits = {
  maxBytes: 10 * 1024 * 1024,
  maxSide: 2560,
  thumbnailSide: 320,
  maxPixels: 100_000_000,
};

/**
 * Who may upload what. Residents upload photos; staff may also attach PDF documents as evidence
 * (an inspection report, a notice). PDFs are kept as given, so they are not open to everyone.
 */
export const RESIDENT_TYPES: readonly SniffedType[] = [
  'image/jpeg',
  'image/png',
  'image/gif',
  'image/webp',
  'image/heic',
  'image/avif',
];
export const STAFF_TYPES: readonly SniffedType[] = [...RESIDENT_TYPES, 'application/pdf'];

export function acceptedTypes(staff: boolean): readonly SniffedType[] {
  return staff ? STAFF_TYPES : RESIDENT_TYPES;
}
