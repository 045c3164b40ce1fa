import type { AttributeDefinition } from '../core/open311/attributes.ts';
import type { DbOrTx } from '../db/schema.ts';
import { findJurisdiction, findService, loadDefinitions } from './services-scope.ts';

export interface ServiceDefinition {
  service_code: string;
  attributes: AttributeDefinition[];
}

/**
 * GET services/{code}: the questions of a service, in their order. A service without questions
 * answers an empty list (its `metadata` is false); a code that is no leaf service is
 * `open311.service_not_found`.
 */
export async function getServiceDefinition(
  db: DbOrTx,
  code: string,
  jurisdiction?: string,
): Promise<ServiceDefinition> {
  const region = await findJurisdiction(db, jurisdiction);
  await findService(db, region, code);
  const definitions = await loadDefinitions(db, [code]);
  return { service_code: code, attributes: definitions.get(code) ?? [] };
}
