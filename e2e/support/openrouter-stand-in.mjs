// An OpenRouter of the browser tests' own: GET /api/v1/credits, /key and /activity as OpenRouter
// answers them, for any key starting "sk-or-". Each /activity call spends a dollar of the credits,
// so a dashboard that fetches the credits again after a sync shows a new figure. GET /__seen
// answers the paths asked for so far, for tests in another process than the stand-in's.
import { createServer } from 'node:http';

/** Starts the stand-in on a free port; `seen` lists each request's path, `baseUrl` is OPENROUTER_BASE_URL. */
export async function startOpenRouterStandIn() {
  const seen = [];
  let totalUsage = 10;
  const yesterday = new Date(Date.now() - 24 * 3_600_000).toISOString().slice(0, 10);
  const answers = {
    '/api/v1/credits': () => ({ data: { total_credits: 20, total_usage: totalUsage } }),
    '/api/v1/key': () => ({
      data: {
        label: 'sk-or-v1-e2e…key',
        limit: null,
        limit_remaining: null,
        usage: totalUsage,
        usage_daily: 1,
        usage_weekly: 4,
        usage_monthly: totalUsage,
        is_free_tier: false,
        rate_limit: { requests: 200, interval: '10s' },
      },
    }),
    '/api/v1/activity': () => {
      totalUsage += 1;
      return {
        data: [
          {
            date: yesterday,
            model: 'openai/gpt-4o-mini',
            model_permaslug: 'openai/gpt-4o-mini-2024-07-18',
            endpoint_id: 'ep-e2e',
            provider_name: 'OpenAI',
            usage: 1,
            byok_usage_inference: 0,
            requests: 40,
            prompt_tokens: 40_000,
            completion_tokens: 8_000,
            reasoning_tokens: 0,
          },
        ],
      };
    },
  };
  const server = createServer((request, response) => {
    const path = new URL(request.url ?? '/', 'http://stand-in').pathname;
    if (path === '/__seen') {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify(seen));
      return;
    }
    seen.push(path);
    const answer = answers[path];
    const authorized = request.headers.authorization?.startsWith('Bearer sk-or-');
    response.writeHead(!authorized ? 401 : answer ? 200 : 404, { 'content-type': 'application/json' });
    response.end(JSON.stringify(!authorized ? { error: { message: 'No auth credentials found', code: 401 } } : answer ? answer() : { error: { message: 'Not found' } }));
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    baseUrl: `http://127.0.0.1:${server.address().port}/api/v1`,
    seen,
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}

/**
 * A stand-in started elsewhere (by the browser tests' global setup), seen from a test.
 * @param {string} baseUrl its OPENROUTER_BASE_URL
 */
export function openRouterStandInClient(baseUrl) {
  return {
    baseUrl,
    /** @returns {Promise<string[]>} each request's path so far */
    async seen() {
      const response = await fetch(new URL('/__seen', baseUrl));
      return response.json();
    },
  };
}
