// A process of its own that asks a server's GET /api/v1/health back to back (one keep-alive
// connection, 5 ms between answers) and reports the latencies of each window it is asked for:
// how long the server's event loop stalls, measured from outside (the bench's own event loop,
// busy with hundreds of streams, would otherwise be measured too). Started by
// serverStalls.bench.ts with the URL as argument; "window" over IPC answers {n, maxMs, p99Ms}.
import http from 'node:http';

const url = `${process.argv[2]}/api/v1/health`;
const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
let latencies = [];

function probe() {
  const t0 = performance.now();
  http
    .get(url, { agent }, (res) => {
      res.resume();
      res.on('end', () => {
        latencies.push(performance.now() - t0);
        setTimeout(probe, 5);
      });
    })
    .on('error', () => setTimeout(probe, 5));
}

process.on('message', (m) => {
  if (m === 'window') {
    const sorted = [...latencies].sort((a, b) => a - b);
    process.send({ n: sorted.length, maxMs: sorted.at(-1) ?? NaN, p99Ms: sorted[Math.floor(sorted.length * 0.99)] ?? NaN });
    latencies = [];
  } else if (m === 'stop') {
    process.exit(0);
  }
});
probe();
