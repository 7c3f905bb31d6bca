import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { createTransport, type Transporter } from 'nodemailer';
import { Webhook } from 'standardwebhooks';
import type { ChannelKind, ChannelSecrets } from './channels.service';
import { emailBody, slackBody, webhookBody, type AlertMessage } from './messages';
import { hostOf, publicOnlyLookup, refuseLiteralPrivateHost, TargetRefused } from './target-safety';

/** How long one attempt at sending may take. */
export const SEND_TIMEOUT_MS = 10_000;

/** A failed attempt, with a message fit for the delivery log (the host at most, never the whole target). */
export class SendFailed extends Error {}

/** Where and how a sender sends: what the configuration says about targets and e-mail. */
export interface SenderOptions {
  allowPrivate: boolean;
  /** Null when SMTP is not configured. */
  mailer: { transport: Transporter; from: string } | null;
  timeoutMs?: number;
}

/** An SMTP transport from SMTP_URL; nodemailer reads host, port, TLS and credentials from the URL. */
export function smtpTransport(smtpUrl: string, timeoutMs = SEND_TIMEOUT_MS): Transporter {
  return createTransport({ url: smtpUrl, connectionTimeout: timeoutMs, greetingTimeout: timeoutMs, socketTimeout: timeoutMs });
}

/** Sends one message to one channel; throws SendFailed saying what went wrong. */
export async function sendToChannel(
  kind: ChannelKind,
  secrets: ChannelSecrets,
  message: AlertMessage,
  deliveryId: string,
  options: SenderOptions,
  now: Date,
): Promise<void> {
  if (kind === 'EMAIL') {
    if (!options.mailer) throw new SendFailed('e-mail is not configured on this server (SMTP_URL, ALERT_EMAIL_FROM)');
    const { subject, text } = emailBody(message);
    try {
      await options.mailer.transport.sendMail({ from: options.mailer.from, to: secrets.target, subject, text, headers: { 'X-Tally-Delivery': deliveryId } });
    } catch (error) {
      throw new SendFailed(`SMTP: ${(error as Error).message}`);
    }
    return;
  }
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  let body: string;
  if (kind === 'WEBHOOK') {
    body = webhookBody(message, now);
    if (!secrets.signingSecret) throw new SendFailed('the channel has no signing secret');
    // Standard Webhooks: the id stays the same across retries, so receivers can drop repeats.
    headers['webhook-id'] = deliveryId;
    headers['webhook-timestamp'] = String(Math.floor(now.getTime() / 1000));
    headers['webhook-signature'] = new Webhook(secrets.signingSecret).sign(deliveryId, now, body);
  } else {
    body = slackBody(message);
  }
  await postJson(new URL(secrets.target), body, headers, options);
}

/**
 * POSTs a body with node's own HTTP client: its `lookup` hook checks the very address the socket
 * connects to, which fetch offers no way to do. 2xx is success; anything else, a refused
 * address, a network error or the timeout is a SendFailed.
 */
async function postJson(url: URL, body: string, headers: Record<string, string>, options: SenderOptions): Promise<void> {
  const host = hostOf(url);
  if (!options.allowPrivate) {
    if (url.protocol !== 'https:') throw new SendFailed(`target must be https, but is ${url.protocol.slice(0, -1)}`);
    try {
      refuseLiteralPrivateHost(url);
    } catch (error) {
      throw new SendFailed((error as Error).message);
    }
  }
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  const timeoutMs = options.timeoutMs ?? SEND_TIMEOUT_MS;
  const response = await new Promise<IncomingMessage>((resolve, reject) => {
    const request = send(url, {
      method: 'POST',
      headers: { ...headers, 'content-length': String(Buffer.byteLength(body)), 'user-agent': 'Tally-Alerts' },
      signal: AbortSignal.timeout(timeoutMs),
      ...(options.allowPrivate ? {} : { lookup: publicOnlyLookup }),
    });
    request.on('response', resolve);
    request.on('error', reject);
    request.end(body);
  }).catch((error: unknown) => {
    if (error instanceof TargetRefused) throw new SendFailed(error.message);
    const code = (error as NodeJS.ErrnoException).code ?? (error as Error).name;
    if (code === 'ABORT_ERR' || (error as Error).name === 'TimeoutError') throw new SendFailed(`${host}: no answer within ${timeoutMs / 1000} s`);
    throw new SendFailed(`${host}: ${code}`);
  });
  response.resume();
  await new Promise<void>((resolve) => {
    response.on('end', resolve);
    response.on('close', resolve);
  });
  const status = response.statusCode ?? 0;
  if (status < 200 || status >= 300) throw new SendFailed(`${host} answered HTTP ${status}`);
}
