import { z } from 'zod';
import { Region, RegionCodeInput, RegionRef } from './common.ts';

export const RegionParams = z.object({ code: RegionCodeInput });
export const RegionResponse = Region;
export const RegionChildrenResponse = z.object({ parent: Region, children: z.array(RegionRef) });
export const RegionSearchQuery = z.object({
  q: z.string().trim().min(1).max(50).meta({ description: 'Part of a Chinese name, e.g. 西湖' }),
  within: RegionCodeInput.optional().meta({ description: 'Only regions under this region' }),
  limit: z.coerce.number().int().min(1).max(100).default(20),
});
export const RegionSearchResponse = z.object({ items: z.array(Region) });
