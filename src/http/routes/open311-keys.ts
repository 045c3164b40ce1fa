import {
  ApiKey,
  ApiKeyChangeBody,
  ApiKeyIssueBody,
  ApiKeyIssued,
  ApiKeyList,
  ApiKeyParams,
  ServiceDefinitionBody,
  ServiceDefinitionParams,
  ServiceDefinitionResponse,
} from '../../api/open311-admin.ts';
import { changeApiKey } from '../../open311/change-api-key.ts';
import { issueApiKey } from '../../open311/issue-api-key.ts';
import { listApiKeys } from '../../open311/list-api-keys.ts';
import { setServiceDefinition } from '../../open311/set-service-definition.ts';
import type { AppDeps } from '../deps.ts';
import { requireActor } from '../auth.ts';
import { defineRoute, type AnyRoute } from '../route.ts';

/**
 * Administration of the Open311 interface: API keys (issue, change the rate limit or rights,
 * revoke; `user.manage`) and the questions of service definitions (`taxonomy.edit`). Audited.
 */
export function open311AdminRoutes(deps: AppDeps): AnyRoute[] {
  const { store, clock } = deps;
  const db = store.db;
  return [
    defineRoute({
      method: 'GET',
      url: '/api/v1/open311/keys',
      summary: 'Open311 API 密钥列表（管理员）/ Open311 API keys in the administrator’s scope',
      tags: ['open311'],
      response: ApiKeyList,
      handler: async ({ headers }) => {
        const actor = await requireActor(deps, headers);
        return { items: await listApiKeys({ db, actor }) };
      },
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/open311/keys',
      summary: '签发 Open311 API 密钥（密钥只显示一次）/ Issue an Open311 API key (shown once)',
      tags: ['open311'],
      body: ApiKeyIssueBody,
      status: 201,
      response: ApiKeyIssued,
      handler: async ({ body, headers }) => {
        const actor = await requireActor(deps, headers);
        return issueApiKey({ db, clock, actor }, body);
      },
    }),
    defineRoute({
      method: 'PATCH',
      url: '/api/v1/open311/keys/:id',
      summary:
        '修改 API 密钥：名称、权限、每分钟限额、关联账号 / Change a key: label, rights, rate limit, account',
      tags: ['open311'],
      params: ApiKeyParams,
      body: ApiKeyChangeBody,
      response: ApiKey,
      handler: async ({ params, body, headers }) => {
        const actor = await requireActor(deps, headers);
        return changeApiKey({ db, clock, actor }, params.id, body);
      },
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/open311/keys/:id/revoke',
      summary: '吊销 API 密钥（不可恢复）/ Revoke an API key for good',
      tags: ['open311'],
      params: ApiKeyParams,
      response: ApiKey,
      handler: async ({ params, headers }) => {
        const actor = await requireActor(deps, headers);
        return changeApiKey({ db, clock, actor }, params.id, { revoke: true });
      },
    }),
    defineRoute({
      method: 'PUT',
      url: '/api/v1/open311/services/:code/definition',
      summary:
        '设置服务定义的补充问题（整体替换）/ Set the questions of a service definition (replaces them)',
      tags: ['open311'],
      params: ServiceDefinitionParams,
      body: ServiceDefinitionBody,
      response: ServiceDefinitionResponse,
      handler: async ({ params, body, headers }) => {
        const actor = await requireActor(deps, headers);
        return setServiceDefinition({ db, clock, actor }, params.code, body.attributes);
      },
    }),
  ];
}
