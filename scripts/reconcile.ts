/**
 * `npm run reconcile`: proves the money invariants and prints the report (JSON on stdout).
 *
 *   (a) the ledger: every transfer balances, cached balances equal their entries, no account
 *       that must not go negative is negative;
 *   (b) escrow per store = paid-but-unsettled orders minus their refunds, and those orders are
 *       paid in trade; refunds payable = refunds still open at the provider;
 *   (c) the provider's records of the last 3 days' payments and open refunds against ours.
 *
 * Uses the same configuration as the server (DATABASE_URL / XIAODIAN_SQLITE_PATH, the payments
 * provider). With the bundled sandbox it reads the sandbox's books from XIAODIAN_PAYSANDBOX_DIR
 * on a port of its own, so it can run next to a running server. The report is also kept (the
 * console's GET /api/v1/console/payments/reconciliation/latest). Exit code 1 when anything is off.
 */
import { systemClock } from '../src/lib/clock.ts';
import { createLogger } from '../src/lib/logger.ts';
import { loadConfig } from '../src/app/config.ts';
import { shutdown, wire } from '../src/app/wire.ts';

const config = loadConfig();
const log = createLogger(process.env.LOG_LEVEL ?? 'warn');
const ctx = await wire({ config, clock: systemClock, log });
if (config.payments.provider === 'sandbox') ctx.paymentGateway.configureSandbox({ port: 0 });
// The provider's notification URL is never used here (reconciliation only queries), but payments asks for one.
ctx.paymentGateway.listening('127.0.0.1', config.port);
let ok = false;
try {
  const report = await ctx.payments.reconcileNow();
  ok = report.ok;
  process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  const problems = report.ledger.problems.length + report.escrow.problems.length + report.orders.problems.length + (report.refunds_payable.ok ? 0 : 1) + report.provider.differences.length;
  process.stderr.write(ok
    ? `reconciled: ${report.ledger.transfers} transfers, ${report.escrow.stores} stores' escrow (${report.escrow.held_orders} unsettled orders), ${report.provider.checked_payments} payments and ${report.provider.checked_refunds} refunds checked with the provider\n`
    : `RECONCILIATION FOUND ${problems} PROBLEM(S) — see the report above\n`);
} finally {
  await shutdown(ctx);
}
process.exit(ok ? 0 : 1);
