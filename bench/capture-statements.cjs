// Loaded into the gateway process (`node -r`) by the load benchmark: writes every statement the
// gateway sends to PostgreSQL, with its values and the connection it went to, one JSON line each,
// while capturing is on (SIGUSR2 turns it on and off). The benchmark then sends the same
// statements straight through pg, to show what the database alone could serve.
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
    if (capturing) {
      const text = typeof config === 'string' ? config : config?.text;
      if (typeof text === 'string') {
        if (!connectionIds.has(this)) connectionIds.set(this, nextId++);
        const params = typeof config === 'string' ? values : config.values;
        const line = { connection: connectionIds.get(this), text, values: Array.isArray(params) ? params : undefined, name: config?.name };
        writeSync(fd, `${JSON.stringify(line)}\n`);
      }
    }
    return query.call(this, config, values, ...rest);
  };
}
