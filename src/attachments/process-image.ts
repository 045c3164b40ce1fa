import sharp, { type Sharp } from 'sharp';
import { DomainError } from '../core/errors.ts';
import type { AttachmentLimits } from '../core/attachments/limits.ts';
import type { SniffedType } from '../core/attachments/sniff.ts';

export interface EncodedImage {
  data: Buffer;
  contentType: 'image/jpeg' | 'image/png' | 'image/gif' | 'image/webp';
  width: number;
  height: number;
}

/**
 * What is kept of each kind: photos stay JPEG; PNG (screenshots, with transparency) and WebP keep
 * their format; GIF stays GIF (animations too); HEIC and AVIF, which not every browser shows,
 * become JPEG.
 */
const OUTPUT: Record<string, EncodedImage['contentType']> = {
  'image/jpeg': 'image/jpeg',
  'image/png': 'image/png',
  'image/gif': 'image/gif',
  'image/webp': 'image/webp',
  'image/heic': 'image/jpeg',
  'image/avif': 'image/jpeg',
};

function encode(pipeline: Sharp, type: EncodedImage['contentType']): Sharp {
  switch (type) {
    case 'image/jpeg':
      return pipeline.jpeg({ quality: 82, mozjpeg: true });
    case 'image/png':
      return pipeline.png();
    case 'image/gif':
      return pipeline.gif();
    case 'image/webp':
      return pipeline.webp({ quality: 82 });
  }
}

/**
 * Decodes an uploaded image and encodes it afresh: turned upright by its EXIF orientation, scaled
 * so its longest side is at most `maxSide`, and with ALL metadata dropped (EXIF with its GPS
 * position, XMP, IPTC, ICC — colours are converted to sRGB), since sharp writes none unless asked.
 * The uploaded bytes are never stored. Also makes a WebP thumbnail from the result.
 *
 * Throws `attachment.unreadable` for a file that says it is an image but does not decode (or
 * decodes to more than `maxPixels`), and `attachment.unsupported_type` for HEIC when this build of
 * libvips has no HEVC decoder.
 */
export async function reencodeImage(
  input: Uint8Array,
  type: SniffedType,
  limits: AttachmentLimits,
): Promise<{ image: EncodedImage; thumbnail: EncodedImage }> {
  const output = OUTPUT[type];
  if (!output) throw new DomainError('attachment.unsupported_type', { type });
  const animated = type === 'image/gif';
  let image: EncodedImage;
  try {
    const pipeline = sharp(input, { failOn: 'error', limitInputPixels: limits.maxPixels, animated })
      .autoOrient()
      .resize({
        width: limits.maxSide,
        height: limits.maxSide,
        fit: 'inside',
        withoutEnlargement: true,
      });
    const { data, info } = await encode(pipeline, output).toBuffer({ resolveWithObject: true });
    image = { data, contentType: output, width: info.width, height: info.pageHeight ?? info.height };
  } catch (error) {
    throw decodeFailure(error, type);
  }
  // The thumbnail is made from the cleaned image (already upright, small, without metadata).
  const thumb = await sharp(image.data, { failOn: 'error' })
    .resize({
      width: limits.thumbnailSide,
      height: limits.thumbnailSide,
      fit: 'inside',
      withoutEnlargement: true,
    })
    .webp({ quality: 70 })
    .toBuffer({ resolveWithObject: true });
  return {
    image,
    thumbnail: {
      data: thumb.data,
      contentType: 'image/webp',
      width: thumb.info.width,
      height: thumb.info.height,
    },
  };
}

function decodeFailure(error: unknown, type: SniffedType): DomainError {
  const message = error instanceof Error ? error.message : String(error);
  if (type === 'image/heic' && /compression format|not supported|unsupported|no decoder/i.test(message)) {
    return new DomainError('attachment.unsupported_type', { type: 'image/heic' });
  }
  return new DomainError('attachment.unreadable', { type, reason: firstLine(message) });
}

function firstLine(text: string): string {
  return text.split('\n')[0]!.slice(0, 200);
}
