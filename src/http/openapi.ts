import { z } from 'zod';
import { ErrorResponse } from '../api/common.ts';
import type { AnyRoute } from './route.ts';

type JsonSchema = Record<string, unknown>;

function toSchema(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
  const json = z.toJSONSchema(schema, { io, unrepresentable: 'any', target: 'draft-2020-12' }) as JsonSchema;
  delete json.$schema;
  return json;
}

function parameters(schema: z.ZodType | undefined, where: 'path' | 'query'): JsonSchema[] {
  if (!schema) return [];
  const json = toSchema(schema, 'input') as { properties?: Record<string, JsonSchema>; required?: string[] };
  return Object.entries(json.properties ?? {}).map(([name, property]) => ({
    name,
    in: where,
    required: where === 'path' || (json.required ?? []).includes(name),
    ...(typeof property.description === 'string' ? { description: property.description } : {}),
    schema: property,
  }));
}

/** The OpenAPI 3.1 document of the given routes, made from the same Zod schemas that validate them. */
export function buildOpenApi(routes: AnyRoute[], info: { version: string }): JsonSchema {
  const paths: Record<string, Record<string, unknown>> = {};
  const error = { content: { 'application/json': { schema: toSchema(ErrorResponse, 'output') } } };
  for (const route of routes) {
    const path = route.url.replace(/:(\w+)/g, '{$1}');
    const status = String(route.status ?? 200);
    paths[path] ??= {};
    paths[path][route.method.toLowerCase()] = {
      summary: route.summary,
      tags: route.tags,
      parameters: [...parameters(route.params, 'path'), ...parameters(route.query, 'query')],
      ...(route.body
        ? {
            requestBody: {
              required: true,
              content: { 'application/json': { schema: toSchema(route.body, 'input') } },
            },
          }
        : {}),
      responses: {
        [status]: {
          description: route.summary,
          content: {
            [route.contentType ?? 'application/json']: { schema: toSchema(route.response, 'output') },
          },
        },
        '4XX': { description: '请求错误 / client error', ...error },
        '5XX': { description: '服务器错误 / server error', ...error },
      },
    };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: '善治 Shanzhi API',
      version: info.version,
      description: '基层社会治理平台接口 / Grassroots social governance platform API',
    },
    paths,
  };
}
