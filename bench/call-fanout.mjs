// Call fan-out: 1,000 graphql-ws clients subscribed to llmCallTracked (the Overview's live feed
// fields) while 100 calls a second arrive for 30 seconds, against a gateway process. Counts lost
// and duplicated deliveries, the delivery latency from the moment each call was sent, and the
// gateway's memory. Baseline: one subscriber under the same traffic, in the same run.
import { readFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import net from 'node:net';
import { join } from 'node:path';
import { percentile, startGatewayProcess } from './gateway-process.mjs';
import { makeCalls, seeded } from './traffic.mjs';
import { fmt, msSince, now, root, say, verdict } from './support.mjs';

const SUBSCRIBERS = Number(process.env.BENCH_FANOUT_SUBSCRIBERS ?? 1000);
const SECONDS = Number(process.env.BENCH_FANOUT_SECONDS ?? 30);
const BASELINE_SECONDS = 10;
const CALLS_PER_SECOND = 100;
const TICK_MS = 50;
const TARGET_P99_MS = 250;

const feedCall = /fragment FeedCall on LlmCall \{[\s\S]*?\n\}/.exec(readFileSync(join(root, 'web/src/features/overview/overview.graphql'), 'utf8'))[0];
const SUBSCRIPTION = `${feedCall}\nsubscription CallTracked { llmCallTracked { eventId ...FeedCall } }`;
const TRACK = 'mutation Track($inputs: [LlmCallInput!]!) { trackLlmCalls(inputs: $inputs) { accepted } }';
const EVENT_KEY = Buffer.from('"eventId":"');
const QUOTE = 0x22;

/** A client→server WebSocket frame (masked, as the protocol requires of clients). */
function clientFrame(opcode, payload) {
  const length = payload.length;
  const header = length < 126 ? Buffer.from([0x80 | opcode, 0x80 | length]) : Buffer.from([0x80 | opcode, 0x80 | 126, length >> 8, length & 0xff]);
  const mask = randomBytes(4);
  const masked = Buffer.from(payload);
  for (let i = 0; i < masked.length; i++) masked[i] ^= mask[i & 3];
  return Buffer.concat([header, mask, masked]);
}

/**
 * A graphql-transport-ws subscriber on a bare TCP socket: it reads frames in place and takes a
 * `next` message's eventId with a byte search, so a thousand of them in one process cost little
 * beside the gateway they measure (a full WebSocket client per subscriber saturated this process
 * first, and the figures were the client's). Answers pings; no fragmented frames (the gateway
 * sends none).
 */
function subscribe(port, key, onEvent) {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.setNoDelay(true);
    const sendText = (text) => socket.write(clientFrame(0x1, Buffer.from(text)));
    let upgraded = false;
    let pending = null;
    socket.on('connect', () =>
      socket.write(
        `GET /graphql HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
          `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: graphql-transport-ws\r\n\r\n`,
      ),
    );
    const onText = (buffer, start, end) => {
      const at = buffer.indexOf(EVENT_KEY, start);
      if (at !== -1 && at < end) {
        const from = at + EVENT_KEY.length;
        return onEvent(buffer.toString('latin1', from, buffer.indexOf(QUOTE, from)));
      }
      const message = JSON.parse(buffer.toString('utf8', start, end));
      if (message.type === 'connection_ack') {
        sendText(JSON.stringify({ id: '1', type: 'subscribe', payload: { query: SUBSCRIPTION } }));
        resolve(socket);
      } else if (message.type === 'ping') sendText('{"type":"pong"}');
      else if (message.type === 'error') reject(new Error(JSON.stringify(message.payload)));
    };
    socket.on('data', (chunk) => {
      const buffer = pending ? Buffer.concat([pending, chunk]) : chunk;
      let offset = 0;
      if (!upgraded) {
        const end = buffer.indexOf('\r\n\r\n');
        if (end === -1) return void (pending = buffer);
        if (!buffer.toString('latin1', 0, 12).includes(' 101')) return reject(new Error(buffer.toString('latin1', 0, end)));
        upgraded = true;
        offset = end + 4;
        sendText(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${key}` } }));
      }
      while (buffer.length - offset >= 2) {
        let length = buffer[offset + 1] & 0x7f;
        let header = 2;
        if (length === 126) {
          if (buffer.length - offset < 4) break;
          length = buffer.readUInt16BE(offset + 2);
          header = 4;
        } else if (length === 127) {
          if (buffer.length - offset < 10) break;
          length = Number(buffer.readBigUInt64BE(offset + 2));
          header = 10;
        }
        if (buffer.length - offset < header + length) break;
        const opcode = buffer[offset] & 0x0f;
        const start = offset + header;
        if (opcode === 0x1) onText(buffer, start, start + length);
        else if (opcode === 0x9) socket.write(clientFrame(0xa, buffer.subarray(start, start + length)));
        else if (opcode === 0x8) socket.end();
        offset = start + length;
      }
      pending = offset < buffer.length ? Buffer.from(buffer.subarray(offset)) : null;
    });
    socket.on('error', reject);
  });
}

/** Sends a close frame and ends the socket. */
function closeSubscriber(socket) {
  socket.end(clientFrame(0x8, Buffer.from([0x03, 0xe8])));
}

function post(port, key, body) {
  return new Promise((resolve, reject) => {
    const request = http.request(
      { host: '127.0.0.1', port, path: '/graphql', method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` } },
      (response) => {
        let text = '';
        response.on('data', (c) => (text += c));
        response.on('end', () => (response.statusCode === 200 && !text.includes('"errors"') ? resolve() : reject(new Error(text.slice(0, 300)))));
      },
    );
    request.on('error', reject);
    request.end(body);
  });
}

/** `subscribers` clients, calls at 100 a second for `seconds`: what each client got, and when. */
async function round(gateway, subscribers, seconds, label) {
  // Per call its number and send time; per subscriber one byte per call: little for the collector to walk.
  const total = CALLS_PER_SECOND * seconds;
  const callNumber = new Map();
  const sentAt = new Array(total);
  const latencies = new Float64Array(subscribers * total);
  let samples = 0;
  let duplicates = 0;
  let lastDelivery = now();
  const seen = Array.from({ length: subscribers }, () => new Uint8Array(total));
  const warm = `${label}-warm`;
  let warmed = 0;
  let onWarm = () => undefined;

  const sockets = [];
  for (let c = 0; c < subscribers; c += 50) {
    const wave = Array.from({ length: Math.min(50, subscribers - c) }, (_, i) =>
      subscribe(gateway.port, gateway.key, (eventId) => {
        const at = now();
        if (eventId === warm) {
          if (++warmed === subscribers) onWarm();
          return;
        }
        lastDelivery = at;
        const n = callNumber.get(eventId);
        const mine = seen[c + i];
        if (mine[n]) return void duplicates++;
        mine[n] = 1;
        latencies[samples++] = Number(at - sentAt[n]) / 1e6;
      }),
    );
    sockets.push(...(await Promise.all(wave)));
    if (subscribers > 1) say(`call fan-out: ${label}: ${sockets.length}/${subscribers} subscribers connected`);
  }
  for (const start = Date.now(); (await gateway.metric('tally_graphql_subscriptions')) < subscribers; ) {
    if (Date.now() - start > 30_000) throw new Error(`only some of ${subscribers} subscriptions started within 30 s`);
    await new Promise((r) => setTimeout(r, 100));
  }
  // One call every subscriber must see before the count starts: the subscriptions are live end to end.
  const allWarm = new Promise((resolve) => (onWarm = resolve));
  await post(gateway.port, gateway.key, JSON.stringify({ query: TRACK, variables: { inputs: [{ ...makeCalls(seeded(1), 1, new Date(), 1000, 'x')[0], eventId: warm }] } }));
  await allWarm;

  const rssBefore = gateway.rssMb();
  let rssPeak = rssBefore;
  const memory = setInterval(() => (rssPeak = Math.max(rssPeak, gateway.rssMb())), 500);
  const progress = setInterval(() => say(`call fan-out: ${label}: ${fmt(callNumber.size, 0)}/${fmt(total, 0)} calls sent, ${fmt(samples, 0)} deliveries`), 5000);
  const random = seeded(subscribers);
  const perTick = (CALLS_PER_SECOND * TICK_MS) / 1000;
  const began = Date.now();
  const sends = [];
  const refused = [];
  for (let tick = 0; tick < (seconds * 1000) / TICK_MS; tick++) {
    const due = began + tick * TICK_MS;
    if (due > Date.now()) await new Promise((r) => setTimeout(r, due - Date.now()));
    const inputs = makeCalls(random, perTick, new Date(), 60_000, `${label}-${tick}`);
    const at = now();
    for (const call of inputs) {
      sentAt[callNumber.size] = at;
      callNumber.set(call.eventId, callNumber.size);
    }
    // A batch the gateway refuses is never delivered: it is counted apart, not as deliveries lost.
    sends.push(post(gateway.port, gateway.key, JSON.stringify({ query: TRACK, variables: { inputs } })).catch((error) => refused.push({ calls: inputs.length, error })));
  }
  await Promise.all(sends);
  // Deliveries still on their way: wait until all arrived, or nothing arrived for 5 s.
  const expected = () => subscribers * (total - refused.reduce((sum, r) => sum + r.calls, 0));
  while (samples < expected() && msSince(lastDelivery) < 5000) await new Promise((r) => setTimeout(r, 100));
  clearInterval(memory);
  clearInterval(progress);
  for (const socket of sockets) closeSubscriber(socket);
  const sorted = latencies.subarray(0, samples).sort();
  const stored = total - refused.reduce((sum, r) => sum + r.calls, 0);
  return { lost: subscribers * stored - samples, duplicates, delivered: samples, sorted, rssBefore, rssPeak, total, stored, refused };
}

export async function benchCallFanout(postgres) {
  say(`call fan-out: fresh database, gateway process; baseline 1 subscriber for ${BASELINE_SECONDS} s, then ${SUBSCRIBERS} for ${SECONDS} s at ${CALLS_PER_SECOND} calls/s`);
  // 1,000 subscribers share one key: they stand for 1,000 dashboards, so the sockets-per-key limit is off.
  const gateway = await startGatewayProcess(await postgres.freshDatabase('callfanout'), {
    workspaceName: 'Call fan-out workspace',
    env: { LIMIT_SOCKETS_PER_KEY: '0' },
  });
  try {
    const rssIdle = gateway.rssMb();
    const baseline = await round(gateway, 1, BASELINE_SECONDS, 'baseline');
    // The baseline's socket must be gone from the gauge before the next round counts its own.
    while ((await gateway.metric('tally_graphql_subscriptions')) > 0) await new Promise((r) => setTimeout(r, 100));
    const fanned = await round(gateway, SUBSCRIBERS, SECONDS, `${SUBSCRIBERS} subscribers`);
    const p = (run, q) => percentile(run.sorted, q);
    const pass = fanned.lost === 0 && fanned.duplicates === 0 && fanned.refused.length === 0 && p(fanned, 0.99) < TARGET_P99_MS;
    const lines = [
      `call fan-out — ${SUBSCRIBERS} graphql-ws subscribers of llmCallTracked (the live feed's fields), ${CALLS_PER_SECOND} calls/s for ${SECONDS} s, gateway in its own process`,
      `  lost:          ${fmt(fanned.lost, 0)} of ${fmt(SUBSCRIBERS * fanned.stored, 0)} deliveries (target 0)  ${verdict(fanned.lost === 0)}`,
      `  refused:       ${fmt(fanned.total - fanned.stored, 0)} of ${fmt(fanned.total, 0)} calls refused by the gateway while it delivered${fanned.refused.length ? ` (${fanned.refused[0].error.message.slice(0, 120)})` : ''}`,
      `  duplicated:    ${fmt(fanned.duplicates, 0)} (target 0)  ${verdict(fanned.duplicates === 0)}`,
      `  latency:       p50 ${fmt(p(fanned, 0.5))} ms, p99 ${fmt(p(fanned, 0.99))} ms from send to delivery (target p99 < ${TARGET_P99_MS} ms)  ${verdict(p(fanned, 0.99) < TARGET_P99_MS)}`,
      `  baseline:      1 subscriber: p50 ${fmt(p(baseline, 0.5))} ms, p99 ${fmt(p(baseline, 0.99))} ms, lost ${baseline.lost}; p99 ratio ${fmt(p(fanned, 0.99) / p(baseline, 0.99), 1)}×`,
      `  gateway RSS:   ${fmt(rssIdle, 0)} MB idle, ${fmt(fanned.rssBefore, 0)} MB with ${SUBSCRIBERS} subscribers, ${fmt(fanned.rssPeak, 0)} MB at the peak (${fmt(((fanned.rssBefore - rssIdle) * 1024) / SUBSCRIBERS, 0)} KB per subscriber)`,
    ];
    return { name: 'call fan-out', pass, lines };
  } finally {
    await gateway.stop();
  }
}
