import { AppError, notFound, rule } from '../../lib/errors.ts';
import { newId } from '../../lib/ids.ts';
import { isUniqueViolation, type Db, type Executor } from '../../db/index.ts';
import type { CatalogRepo, CategoryRow } from './catalog.repo.ts';
import { toCategory, type Category } from './catalog.types.ts';
import { categoryProblems } from './category-rules.ts';

export type CategoryInput = Omit<Category, 'id'>;
/** Rules an operator may change on an existing category (the tree shape stays). */
export type CategoryPatch = Partial<Omit<Category, 'id' | 'parent_id' | 'code' | 'is_leaf'>>;

function assertValid(c: CategoryInput): void {
  const problems = categoryProblems(c);
  if (problems.length) throw rule(problems[0].code, problems[0].message, { problems }).zh(problems[0].message_zh);
}

function toRow(id: string, c: CategoryInput, sort: number): CategoryRow {
  return {
    id, parent_id: c.parent_id, code: c.code, name_zh: c.name_zh, name_en: c.name_en, is_leaf: c.is_leaf ? 1 : 0, fee_rate_bp: c.fee_rate_bp, deposit_minor: c.deposit_minor,
    required_attributes: JSON.stringify(c.required_attributes), required_qualifications: JSON.stringify(c.required_qualifications),
    no_reason_return_7d: c.no_reason_return_7d ? 1 : 0, shipping_insurance: c.shipping_insurance ? 1 : 0, sort, allows_efficacy_claims: c.allows_efficacy_claims ? 1 : 0,
  };
}

/** The category tree and each leaf's rules (fee tier, deposit, attributes, qualifications, return policies). */
export function createCategories(deps: { db: Db; repo: CatalogRepo }) {
  const { db, repo } = deps;
  return {
    async createCategory(tx: Executor, input: CategoryInput): Promise<Category> {
      assertValid(input);
      if (input.parent_id !== null) {
        const parent = await repo.categoryById(input.parent_id, tx);
        if (!parent) throw notFound('category', input.parent_id);
        if (parent.is_leaf === 1) throw rule('parent_is_leaf', 'a leaf category cannot have children', { parent_id: input.parent_id }).zh('末级类目不能再有子类目');
      }
      const row = toRow(newId('cat'), input, 0);
      try {
        await repo.q(tx).insertInto('catalog_categories').values(row).execute();
      } catch (err) {
        if (isUniqueViolation(err)) throw new AppError('conflict', 'category_code_taken', `category code "${input.code}" exists`).zh('类目编码已存在');
        throw err;
      }
      return toCategory(row);
    },

    async updateCategory(categoryId: string, patch: CategoryPatch): Promise<Category> {
      return db.transaction(async (tx) => {
        const row = await repo.categoryById(categoryId, tx);
        if (!row) throw notFound('category', categoryId);
        const current = toCategory(row);
        const next: Category = { ...current, ...Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)) };
        assertValid(next);
        const { id: _id, ...rest } = next;
        const { id: _same, sort: _sort, ...cols } = toRow(categoryId, rest, row.sort);
        await repo.q(tx).updateTable('catalog_categories').set(cols).where('id', '=', categoryId).execute();
        return next;
      });
    },

    async listCategories(): Promise<Category[]> {
      return (await repo.q().selectFrom('catalog_categories').selectAll().orderBy('sort').orderBy('code').execute()).map(toCategory);
    },

    async getCategory(id: string, ex?: Executor): Promise<Category> {
      const r = await repo.categoryById(id, ex);
      if (!r) throw notFound('category', id);
      return toCategory(r);
    },

    async categoryByCode(code: string): Promise<Category | undefined> {
      const r = await repo.q().selectFrom('catalog_categories').selectAll().where('code', '=', code).executeTakeFirst();
      return r && toCategory(r);
    },
  };
}
