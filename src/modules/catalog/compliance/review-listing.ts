/**
 * Listing compliance review: runs every check and turns findings into a decision.
 * any block → reject; else any review → review (operator queue); else pass. Info findings
 * never change the decision; they are hints for the merchant or the operator.
 */
import { BrandIndex, checkBrandCertified, checkBrandMentions } from './brand-checks.ts';
import { checkQualifications, checkRequiredAttributes } from './category-checks.ts';
import type {
  Decision,
  Finding,
  ListingInput,
  ReviewResult,
  ReviewRules,
  Severity,
  WordListName,
} from './compliance.types.ts';
import { compileWordList, type CompiledWordList } from './phrase-match.ts';
import { checkPrices } from './price-checks.ts';
import {
  ABSOLUTE_CLAIM_CHECK,
  COUNTERFEIT_HINT_CHECK,
  MEDICAL_CLAIM_CHECK,
  PROHIBITED_ITEM_CHECK,
  checkContactInfo,
  checkWordList,
  collectTextFields,
} from './text-checks.ts';
import { checkKeywordStuffing, checkTitleLength } from './title-checks.ts';
import { WORD_LISTS } from './word-lists.ts';

export function reviewListing(input: ListingInput, rules: ReviewRules = {}): ReviewResult {
  const lists = compileWordLists(rules);
  const fields = collectTextFields(input);
  const title = fields[0];
  const brands = new BrandIndex(rules.knownBrands ?? [], input.store_certified_brands);
  const findings: Finding[] = [
    ...checkTitleLength(input.title),
    ...checkKeywordStuffing(title),
    ...checkWordList(fields, lists.absolute_claim, ABSOLUTE_CLAIM_CHECK),
    ...(input.category.allows_efficacy_claims ? [] : checkWordList(fields, lists.medical_claim, MEDICAL_CLAIM_CHECK)),
    ...checkWordList(fields, lists.prohibited_item, PROHIBITED_ITEM_CHECK),
    ...checkWordList(fields, lists.counterfeit_hint, COUNTERFEIT_HINT_CHECK),
    ...checkContactInfo(fields),
    ...checkRequiredAttributes(input.attributes, input.category.required_attributes),
    ...checkQualifications(input.category.required_qualifications, input.store_qualifications),
    ...checkBrandCertified(input, brands),
    ...checkBrandMentions(input, title, brands, lists.counterfeit_context),
    ...checkPrices(input.skus),
  ];
  return { decision: decide(findings), findings: sortBySeverity(findings) };
}

export function decide(findings: readonly Finding[]): Decision {
  if (findings.some((f) => f.severity === 'block')) return 'reject';
  if (findings.some((f) => f.severity === 'review')) return 'review';
  return 'pass';
}

const SEVERITY_ORDER: Readonly<Record<Severity, number>> = { block: 0, review: 1, info: 2 };

function sortBySeverity(findings: readonly Finding[]): Finding[] {
  // Array.prototype.sort is stable, so check order is kept within a severity.
  return [...findings].sort((a, b) => SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity]);
}

export function compileWordLists(rules: ReviewRules): Record<WordListName, CompiledWordList> {
  const compile = (name: WordListName): CompiledWordList =>
    compileWordList(WORD_LISTS[name], rules.extraBannedWords?.[name], rules.extraAllowedPhrases?.[name]);
  return {
    absolute_claim: compile('absolute_claim'),
    medical_claim: compile('medical_claim'),
    prohibited_item: compile('prohibited_item'),
    counterfeit_hint: compile('counterfeit_hint'),
    counterfeit_context: compile('counterfeit_context'),
  };
}
