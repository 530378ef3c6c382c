import { Inject, Injectable } from '@nestjs/common';
import { promises as dns, LookupAddress } from 'node:dns';
import type { LookupFunction } from 'node:net';
import * as ipaddr from 'ipaddr.js';
import { APP_CONFIG } from '../config/config.module';
import { AppConfig } from '../config/env';

/** Resolves a host name to its addresses; a provider, so that a test can make DNS change its answer. */
export interface WebhookResolver {
  lookup(hostname: string): Promise<LookupAddress[]>;
}

export const WEBHOOK_RESOLVER = 'WEBHOOK_RESOLVER';

/** The system's resolver (getaddrinfo: /etc/hosts, then DNS), as connections use it. */
export const systemResolver: WebhookResolver = {
  lookup: (hostname) => dns.lookup(hostname, { all: true, verbatim: true }),
};

export const webhookResolverProvider = { provide: WEBHOOK_RESOLVER, useValue: systemResolver };

/** A URL or an address the SSRF guard refuses; `message` says why (kept as a delivery's lastError). */
export class RefusedAddressError extends Error {
  constructor(
    message: string,
    /** What is wrong, for the 422: `scheme`, `address` or `unresolvable`. */
    readonly reason: 'scheme' | 'address' | 'unresolvable',
    /** The host, with the refused address it resolves to. */
    readonly host = '',
    /** The kind of address refused (ipaddr.js's range name: loopback, private, linkLocal...). */
    readonly range = '',
  ) {
    super(message);
    this.name = 'RefusedAddressError';
  }
}

/**
 * The range of an address that webhooks may not reach, or null for a public unicast address.
 * IPv4-mapped IPv6 addresses (`::ffff:127.0.0.1`) are judged as the IPv4 address they carry.
 * Everything but ipaddr.js's `unicast` is refused: loopback, private, link-local (cloud metadata
 * at 169.254.169.254), unique-local, multicast, unspecified, broadcast, carrier-grade NAT,
 * reserved and the transition ranges (6to4, Teredo, NAT64) that could tunnel to any of them.
 */
export function refusedRange(address: string): string | null {
  if (!ipaddr.isValid(address)) return 'invalid';
  const ip = ipaddr.process(address);
  const range = ip.range();
  return range === 'unicast' ? null : range;
}

/**
 * The SSRF guard (API.md "Webhooks"): only http(s) URLs, and only hosts whose every address is
 * public, unless WEBHOOK_ALLOW_PRIVATE=true. Checked when an endpoint is created or its URL
 * changed (422 naming `url`) and again on every connection: the Agent's `lookup` (connectLookup)
 * resolves, checks and hands the connection exactly the addresses it checked, so a name cannot
 * resolve to a public address for the check and to a private one for the connection (DNS
 * rebinding).
 */
@Injectable()
export class WebhookAddressGuard {
  constructor(
    @Inject(WEBHOOK_RESOLVER) private readonly resolver: WebhookResolver,
    @Inject(APP_CONFIG) private readonly config: Pick<AppConfig, 'webhookAllowPrivate'>,
  ) {}

  /** Throws RefusedAddressError for a URL a webhook may not use. */
  async checkUrl(value: string): Promise<void> {
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      throw new RefusedAddressError('not a URL', 'scheme');
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new RefusedAddressError(`${url.protocol} is not http: or https:`, 'scheme');
    if (this.config.webhookAllowPrivate) return;
    await this.checkHost(hostOf(url));
  }

  /** The addresses of a host (an address itself: only it), each checked. */
  async checkHost(host: string): Promise<LookupAddress[]> {
    if (ipaddr.isValid(host)) {
      const addresses = [{ address: host, family: host.includes(':') ? 6 : 4 }];
      if (!this.config.webhookAllowPrivate) this.refuseAny(host, addresses);
      return addresses;
    }
    let addresses: LookupAddress[];
    try {
      addresses = await this.resolver.lookup(host);
    } catch (error) {
      throw new RefusedAddressError(
        `${host} does not resolve (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`,
        'unresolvable',
        host,
      );
    }
    if (addresses.length === 0) throw new RefusedAddressError(`${host} does not resolve`, 'unresolvable', host);
    if (!this.config.webhookAllowPrivate) this.refuseAny(host, addresses);
    return addresses;
  }

  /** A `lookup` for net/tls.connect (undici's Agent `connect.lookup`): resolves through the guard. */
  readonly connectLookup: LookupFunction = (hostname, options, callback) => {
    this.checkHost(hostname.replace(/^\[|\]$/g, '')).then(
      (addresses) => {
        const wanted = options.family === 4 || options.family === 6 ? addresses.filter((a) => a.family === options.family) : addresses;
        if (wanted.length === 0) {
          callback(Object.assign(new Error(`${hostname} has no IPv${options.family} address`), { code: 'ENOTFOUND' }), '', 0);
        } else if (options.all) {
          (callback as unknown as (error: null, addresses: LookupAddress[]) => void)(null, wanted);
        } else {
          callback(null, wanted[0].address, wanted[0].family);
        }
      },
      (error: Error) => callback(error as NodeJS.ErrnoException, '', 0),
    );
  };

  private refuseAny(host: string, addresses: LookupAddress[]): void {
    for (const { address } of addresses) {
      const range = refusedRange(address);
      if (!range) continue;
      const named = host === address ? address : `${host} (${address})`;
      throw new RefusedAddressError(`${named}: ${range} addresses are refused`, 'address', named, range);
    }
  }
}

/** The URL's host without IPv6 brackets. */
export function hostOf(url: URL): string {
  return url.hostname.replace(/^\[|\]$/g, '');
}
