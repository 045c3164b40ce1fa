import { z } from 'zod';
import { ErrorResponse } from '../api/common.ts';
import { isRaw, type AnyRoute, type Described, type RawRoute, type RouteGroup } from './route.ts';

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

const BINARY = { type: 'string', format: 'binary' };

const content = (types: Record<string, Described>, io: 'input' | 'output') =>
  Object.fromEntries(
    Object.entries(types).map(([type, schema]) => [
      type,
      { schema: schema === 'binary' ? BINARY : toSchema(schema, io) },
    ]),
  );

function errors(): Record<string, unknown> {
  const error = { content: { 'application/json': { schema: toSchema(ErrorResponse, 'output') } } };
  return {
    '4XX': { description: '请求错误 / client error', ...error },
    '5XX': { description: '服务器错误 / server error', ...error },
  };
}

function jsonOperation(route: AnyRoute): Record<string, unknown> {
  return {
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
      [String(route.status ?? 200)]: {
        description: route.summary,
        content: {
          [route.contentType ?? 'application/json']: { schema: toSchema(route.response, 'output') },
        },
      },
      ...errors(),
    },
  };
}

function rawOperation(route: RawRoute): Record<string, unknown> {
  const responses = Object.fromEntries(
    Object.entries(route.responses).map(([status, answer]) => [
      status,
      {
        description: answer.description,
        ...(answer.content ? { content: content(answer.content, 'output') } : {}),
      },
    ]),
  );
  return {
    summary: route.summary,
    tags: route.tags,
    parameters: [...parameters(route.params, 'path'), ...parameters(route.query, 'query')],
    ...(route.bodies ? { requestBody: { required: true, content: content(route.bodies, 'input') } } : {}),
    // A route that answers errors in a format of its own (Open311's) names them itself.
    responses: { ...errors(), ...responses },
  };
}

/** The OpenAPI 3.1 document of the app's route groups, made from the same Zod schemas that validate them. */
export function buildOpenApi(groups: RouteGroup[], info: { version: string }): JsonSchema {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const group of groups) {
    for (const route of group.routes) {
      if (isRaw(route) && route.undocumented) continue;
      const path = `${group.prefix ?? ''}${route.url}`.replace(/:(\w+)/g, '{$1}');
      paths[path] ??= {};
      paths[path][route.method.toLowerCase()] = isRaw(route) ? rawOperation(route) : jsonOperation(route);
    }
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
