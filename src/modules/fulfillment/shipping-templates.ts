import type { Clock } from '../../lib/clock.ts';
import { AppError, notFound } from '../../lib/errors.ts';
import { newId } from '../../lib/ids.ts';
import { tables, type Db, type Executor } from '../../db/index.ts';
import type { FulfillmentTables } from './fulfillment.service.ts';

/** One rule of a template: first N items cost X, every further M items cost Y (按件计费). */
export interface ShippingRule {
  provinces: string[] | '*';
  first_units: number;
  first_fee_minor: number;
  additional_units: number;
  additional_fee_minor: number;
}

export interface ShippingTemplate {
  id: string;
  store_id: string;
  name: string;
  is_default: boolean;
  rules: ShippingRule[];
  free_threshold_minor: number | null;
  /** Remote regions that never ship free (偏远地区不包邮). */
  excluded_provinces: string[];
}

export type ShippingTemplateInput = Omit<ShippingTemplate, 'id' | 'store_id'>;

type Row = FulfillmentTables['fulfillment_shipping_templates'];
const toTemplate = (r: Row): ShippingTemplate => ({
  id: r.id, store_id: r.store_id, name: r.name, is_default: r.is_default === 1, rules: JSON.parse(r.rules), free_threshold_minor: r.free_threshold_minor, excluded_provinces: JSON.parse(r.excluded_provinces),
});

function check(input: ShippingTemplateInput): void {
  if (!input.rules.some((r) => r.provinces === '*')) throw new AppError('business_rule', 'template_needs_default_rule', 'a template needs a rule for "*" (everywhere else)').zh('运费模板需要一条默认（全国）规则');
}

/** Store shipping templates (运费模板); the store's default template prices every order. */
export function createShippingTemplates(deps: { db: Db; clock: Clock }) {
  const { db, clock } = deps;
  const q = (ex: Executor = db.kysely) => tables<FulfillmentTables>(ex);
  const defaultOf = db.prepared<Row>('select * from fulfillment_shipping_templates where store_id = ? and is_default = 1');
  return {
    async saveTemplate(storeId: string, input: ShippingTemplateInput, templateId?: string): Promise<ShippingTemplate> {
      check(input);
      const now = clock.now();
      return db.transaction(async (tx) => {
        if (input.is_default) await q(tx).updateTable('fulfillment_shipping_templates').set({ is_default: 0 }).where('store_id', '=', storeId).execute();
        const values = { name: input.name, is_default: input.is_default ? 1 : 0, rules: JSON.stringify(input.rules), free_threshold_minor: input.free_threshold_minor, excluded_provinces: JSON.stringify(input.excluded_provinces), updated_at: now };
        if (templateId) {
          const r = await q(tx).updateTable('fulfillment_shipping_templates').set(values).where('id', '=', templateId).where('store_id', '=', storeId).executeTakeFirst();
          if (Number(r.numUpdatedRows) !== 1) throw notFound('shipping_template', templateId);
          return toTemplate({ ...values, id: templateId, store_id: storeId, created_at: now });
        }
        const row: Row = { ...values, id: newId('spt'), store_id: storeId, created_at: now };
        await q(tx).insertInto('fulfillment_shipping_templates').values(row).execute();
        return toTemplate(row);
      });
    },

    async listTemplates(storeId: string): Promise<ShippingTemplate[]> {
      return (await q().selectFrom('fulfillment_shipping_templates').selectAll().where('store_id', '=', storeId).orderBy('id').execute()).map(toTemplate);
    },

    /** The templates that price an order of these stores (stores without one ship free). */
    async defaultTemplates(storeIds: readonly string[], ex: Executor = db.kysely): Promise<Map<string, ShippingTemplate>> {
      const out = new Map<string, ShippingTemplate>();
      for (const id of new Set(storeIds)) {
        const r = await defaultOf.first(ex, [id]);
        if (r) out.set(id, toTemplate(r));
      }
      return out;
    },
  };
}
