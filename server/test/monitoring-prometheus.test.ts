import { call, TRACK_MANY } from './fixtures/calls';
import { startMonitoringServer, type MonitoringServer } from './support/monitoring-server';

const METRICS_TOKEN = 'scrape-token-0123456789abcdef';

/** The Prometheus text format (0.0.4), line by line: HELP, TYPE, or a sample. */
const HELP = /^# HELP [a-zA-Z_:][a-zA-Z0-9_:]* .*$/;
const TYPE = /^# TYPE [a-zA-Z_:][a-zA-Z0-9_:]* (counter|gauge|histogram|summary|untyped)$/;
const LABEL_VALUE = String.raw`"(?:[^"\\\n]|\\["\\n])*"`;
const LABEL = String.raw`[a-zA-Z_][a-zA-Z0-9_]*=${LABEL_VALUE}`;
// Values parse as Go's ParseFloat does: NaN in any case (prom-client writes an idle event-loop mean as Nan).
const SAMPLE = new RegExp(String.raw`^[a-zA-Z_:][a-zA-Z0-9_:]*(\{(${LABEL}(,${LABEL})*)?,?\})? (-?[0-9.eE+-]+|[Nn]a[Nn]|\+Inf|-Inf)( -?\d+)?$`);

/** Every sample as name, labels and value; throws on a line that is not Prometheus text. */
function parsePrometheus(text: string): { name: string; labels: Record<string, string>; value: number }[] {
  const samples: { name: string; labels: Record<string, string>; value: number }[] = [];
  for (const line of text.split('\n')) {
    if (line === '' || HELP.test(line) || TYPE.test(line)) continue;
    if (!SAMPLE.test(line)) throw new Error(`not Prometheus text: ${line}`);
    const name = line.match(/^[a-zA-Z_:][a-zA-Z0-9_:]*/)![0];
    const labels = Object.fromEntries([...line.matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)].map((m) => [m[1], m[2]]));
    samples.push({ name, labels, value: Number(line.slice(line.lastIndexOf(' ') + 1)) });
  }
  return samples;
}

describe('GET /metrics', () => {
  let server: MonitoringServer;
  const scrape = (token?: string) => fetch(`${server.origin}/metrics`, { headers: token ? { authorization: `Bearer ${token}` } : {} });

  beforeAll(async () => {
    server = await startMonitoringServer({ env: { METRICS_TOKEN } });
  });
  afterAll(() => server.dispose());

  it('answers in the Prometheus text format, every line of it', async () => {
    await server.gql('query ScrapeMe { health { status } }');
    const response = await scrape(server.adminKey);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const samples = parsePrometheus(await response.text());
    const names = new Set(samples.map((s) => s.name));
    for (const name of [
      'tally_api_requests_total',
      'tally_api_request_duration_seconds_bucket',
      'tally_llm_calls_ingested_total',
      'tally_ingest_rejections_total',
      'tally_graphql_subscriptions',
      'process_cpu_user_seconds_total',
      'process_resident_memory_bytes',
      'nodejs_eventloop_lag_seconds',
    ]) {
      expect(names).toContain(name);
    }
    const scrapeMe = samples.find((s) => s.name === 'tally_api_requests_total' && s.labels.key === 'graphql query ScrapeMe');
    expect(scrapeMe).toMatchObject({ labels: { status: '200' }, value: 1 });
  });

  it('counts ingested and rejected calls', async () => {
    await server.gql(TRACK_MANY, { inputs: [call(), call(), call({ inputTokens: -1 }), call()] });
    const samples = parsePrometheus(await (await scrape(METRICS_TOKEN)).text());
    const value = (name: string) => samples.find((s) => s.name === name)!.value;
    expect(value('tally_llm_calls_ingested_total')).toBe(3);
    expect(value('tally_ingest_rejections_total')).toBe(1);
  });

  it('keeps a duration histogram per key', async () => {
    await fetch(`${server.origin}/health`);
    await fetch(`${server.origin}/health`);
    const samples = parsePrometheus(await (await scrape(METRICS_TOKEN)).text());
    const count = samples.find((s) => s.name === 'tally_api_request_duration_seconds_count' && s.labels.key === 'GET /health');
    const infinity = samples.find((s) => s.name === 'tally_api_request_duration_seconds_bucket' && s.labels.key === 'GET /health' && s.labels.le === '+Inf');
    expect(count!.value).toBeGreaterThanOrEqual(2);
    expect(infinity!.value).toBe(count!.value);
  });

  it('lets METRICS_TOKEN in', async () => {
    expect((await scrape(METRICS_TOKEN)).status).toBe(200);
  });

  it('turns away a request without a token', async () => {
    const response = await scrape();
    expect(response.status).toBe(401);
    expect(await response.text()).toBe('GET /metrics needs "Authorization: Bearer <admin API key or METRICS_TOKEN>"\n');
  });

  it('turns away a token that is neither', async () => {
    const response = await scrape('not-the-token-and-not-a-key');
    expect(response.status).toBe(401);
    expect(await response.text()).toBe('This token is neither METRICS_TOKEN nor a valid API key\n');
  });

  it('turns away a member key', async () => {
    const { key } = await server.workspaceWithKey('member scraping');
    const response = await scrape(key);
    expect(response.status).toBe(403);
    expect(await response.text()).toBe('GET /metrics needs an admin API key or METRICS_TOKEN, but got a member key\n');
  });
});
