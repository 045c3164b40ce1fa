import { z } from 'zod';

export const AttachmentUploadResponse = z
  .object({
    id: z.string().meta({ description: 'Name it in a report’s photos or a step’s evidence to attach it' }),
    url: z.string().meta({ description: 'Where the stored file is served (relative to this server)' }),
    thumbnail_url: z.string().nullable().meta({ description: 'A small WebP preview; null for documents' }),
    content_type: z.string().meta({ description: 'The type of the stored file, from its content' }),
    bytes: z.number().int(),
    width: z.number().int().nullable(),
    height: z.number().int().nullable(),
    upload_key: z.string().meta({
      description: 'Shown once: send it as ?key= or X-Upload-Key to see the file before its case is public',
    }),
  })
  .meta({ id: 'AttachmentUpload' });

export const AttachmentQuery = z.object({
  key: z.string().min(1).max(128).optional().meta({
    description: 'The upload key, or the reporter key of the case (instead of the X-Upload-Key header)',
  }),
});
