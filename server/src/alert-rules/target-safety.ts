import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { BlockList, isIP } from 'node:net';
import addressparser from 'nodemailer/lib/addressparser';
import { badInput } from '../graphql/errors';

/**
 * Addresses a webhook or Slack target may not reach unless private targets are allowed: this
 * host, private networks, link-local (cloud metadata at 169.254.169.254 among them), shared
 * carrier space, multicast and reserved ranges. BlockList also matches IPv4-mapped IPv6.
 */
const NOT_PUBLIC = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const) {
  NOT_PUBLIC.addSubnet(network, prefix, 'ipv4');
}
for (const [network, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['64:ff9b::', 96],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
] as const) {
  NOT_PUBLIC.addSubnet(network, prefix, 'ipv6');
}

/** Whether an IP address is one a target may not reach when private targets are not allowed. */
export function isPrivateAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 0) return true;
  return NOT_PUBLIC.check(address, family === 4 ? 'ipv4' : 'ipv6');
}

/** A refused target: its message says why, and it is the caller's to fix. */
export class TargetRefused extends Error {}

/**
 * Checks a webhook or Slack URL when a channel is saved: an https URL (http too when private
 * targets are allowed) whose host, a literal address or every address its name resolves to, is
 * public. Throws BAD_USER_INPUT saying what was expected and what arrived.
 */
export async function checkTargetUrl(target: string, allowPrivate: boolean): Promise<URL> {
  let url: URL;
  try {
    url = new URL(target.trim());
  } catch {
    throw badInput(`target must be a URL such as https://example.com/hook, but got ${JSON.stringify(target)}`);
  }
  const protocols = allowPrivate ? ['https:', 'http:'] : ['https:'];
  if (!protocols.includes(url.protocol)) {
    throw badInput(`target must be an ${protocols.map((p) => p.slice(0, -1)).join(' or ')} URL, but got ${url.protocol.slice(0, -1)}`);
  }
  if (url.username || url.password) throw badInput('target must not carry a user name or password in the URL');
  if (!allowPrivate) {
    try {
      await resolvePublic(hostOf(url));
    } catch (error) {
      if (error instanceof TargetRefused) throw badInput(error.message);
      throw badInput(`target's host ${hostOf(url)} could not be resolved (${(error as NodeJS.ErrnoException).code ?? 'no address'})`);
    }
  }
  return url;
}

/** A URL's host without the brackets of an IPv6 literal. */
export const hostOf = (url: URL): string => url.hostname.replace(/^\[(.*)\]$/, '$1');

async function resolvePublic(host: string): Promise<void> {
  const addresses = isIP(host) ? [host] : (await lookupAll(host)).map((a) => a.address);
  const refused = addresses.find(isPrivateAddress);
  if (refused !== undefined) {
    const what = refused === host ? `${host} is` : `${host} resolves to ${refused},`;
    throw new TargetRefused(`target must be on a public address, but ${what} a private, loopback or link-local address`);
  }
}

const lookupAll = (host: string): Promise<LookupAddress[]> =>
  new Promise((resolve, reject) => dnsLookup(host, { all: true }, (error, addresses) => (error ? reject(error) : resolve(addresses))));

type LookupCallback = (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/**
 * A `lookup` for http(s).request that refuses private addresses at connect time: the address
 * the socket connects to is the one checked here, so a name that resolved to a public address
 * when the channel was saved and to a private one now (DNS rebinding) is still refused.
 */
export function publicOnlyLookup(hostname: string, options: { all?: boolean }, callback: LookupCallback): void {
  dnsLookup(hostname, { ...options, all: true }, (error, addresses) => {
    if (error) return callback(error, []);
    const refused = addresses.find((a) => isPrivateAddress(a.address));
    if (refused) {
      return callback(new TargetRefused(`target ${hostname} resolves to ${refused.address}, a private, loopback or link-local address`), []);
    }
    if (options.all) return callback(null, addresses);
    callback(null, addresses[0].address, addresses[0].family);
  });
}

/** Checks a literal IP host at send time (a socket to a literal address does no lookup). */
export function refuseLiteralPrivateHost(url: URL): void {
  const host = hostOf(url);
  if (isIP(host) && isPrivateAddress(host)) throw new TargetRefused(`target must be on a public address, but ${host} is private, loopback or link-local`);
}

/** Checks one e-mail address, with nodemailer's own address parser; answers it trimmed. */
export function checkEmailAddress(target: string): string {
  const parsed = addressparser(target.trim(), { flatten: true });
  const only = parsed.length === 1 ? parsed[0].address : '';
  if (!only || !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(only) || only !== target.trim()) {
    throw badInput(`target must be one e-mail address such as ops@example.com, but got ${JSON.stringify(target)}`);
  }
  return only;
}
