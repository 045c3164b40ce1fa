import type { AttributeDefinition } from '../core/open311/attributes.ts';
import type { DbOrTx } from '../db/schema.ts';
import { bilingual, DATATYPE_DESCRIPTIONS } from '../i18n/open311.ts';
import { findJurisdiction, findService, loadDefinitions } from './services-scope.ts';

export interface ServiceDefinition {
  service_code: string;
  attributes: AttributeDefinition[];
}

/**
 * GET services/{code}: the questions of a service, in their order. A service without questions
 * answers an empty list (its `metadata` is false); a code that is no leaf service is
 * `open311.service_not_found`. An attribute stored without a `datatype_description` answers its
 * datatype's default (`数字 / A number`): some XML clients fail on the empty element. The default
 * is filled here, not in core, which holds no texts.
 */
export async function getServiceDefinition(
  db: DbOrTx,
  code: string,
  jurisdiction?: string,
): Promise<ServiceDefinition> {
  const region = await findJurisdiction(db, jurisdiction);
  await findService(db, region, code);
  const definitions = await loadDefinitions(db, [code]);
  const attributes = (definitions.get(code) ?? []).map((a) => ({
    ...a,
    datatype_description: a.datatype_description?.trim() || bilingual(DATATYPE_DESCRIPTIONS[a.datatype]),
  }));
  return { service_code: code, attributes };
}
