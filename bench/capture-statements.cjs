// Loaded into the gateway process (`node -r`) by the load benchmark: writes every statement the
// gateway sends to PostgreSQL, with its values, the connection it went to and how long it took
// to answer, one JSON line each as it is answered, while capturing is on (SIGUSR2 turns it on and
// off). The benchmark then sends the same statements straight through pg, to show what the
// database alone could serve, and where the time of the gateway's requests went.
const { openSync, writeSync } = require('node:fs');
const pg = require('pg');

const file = process.env.BENCH_CAPTURE_STATEMENTS;
if (file) {
  const fd = openSync(file, 'w');
  let capturing = false;
  process.on('SIGUSR2', () => (capturing = !capturing));
  const connectionIds = new WeakMap();
  let nextId = 0;
  const query = pg.Client.prototype.query;
  pg.Client.prototype.query = function capturedQuery(config, values, ...rest) {
    const result = query.call(this, config, values, ...rest);
    const text = typeof config === 'string' ? config : config?.text;
    if (!capturing || typeof text !== 'string' || typeof result?.then !== 'function') return result;
    if (!connectionIds.has(this)) connectionIds.set(this, nextId++);
    const params = typeof config === 'string' ? values : config.values;
    const line = { connection: connectionIds.get(this), text, values: Array.isArray(params) ? params : undefined, name: config?.name };
    const sent = process.hrtime.bigint();
    const written = () => writeSync(fd, `${JSON.stringify({ ...line, ms: Number(process.hrtime.bigint() - sent) / 1e6 })}\n`);
    result.then(written, written);
    return result;
  };
}
