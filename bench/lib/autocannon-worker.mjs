// Runs one autocannon load in a child process (its own event loop, its own core when one is
// free), so a latency measured here is not inflated by another load generator sharing the
// bench process's event loop. A worker thread will not do: autocannon inside a worker thread
// reports raw histograms (it takes itself for one of its own workers).
import process from 'node:process';
import autocannon from 'autocannon';

process.once('message', async (options) => {
  const result = await autocannon(options);
  process.send(JSON.parse(JSON.stringify(result)), () => process.exit(0));
});
