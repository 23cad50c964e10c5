import type { Scenario } from '../lib/types.ts';
import { foundation } from './foundation.ts';
import { trade } from './trade.ts';
import { search } from './search.ts';
import { live } from './live.ts';
import { campaign } from './campaign.ts';

/** In run order; also the order of sections in docs/benchmarks.md. */
export const SCENARIOS: readonly Scenario[] = [foundation, trade, search, live, campaign];
