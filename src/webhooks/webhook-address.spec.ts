import { refusedRange, RefusedAddressError, WebhookAddressGuard, WebhookResolver } from './webhook-address.service';

const resolver = (answers: Record<string, string[]>): WebhookResolver => ({
  lookup: (host) =>
    answers[host]
      ? Promise.resolve(answers[host].map((address) => ({ address, family: address.includes(':') ? 6 : 4 })))
      : Promise.reject(Object.assign(new Error('not found'), { code: 'ENOTFOUND' })),
});

describe('the webhook SSRF guard', () => {
  it.each([
    ['127.0.0.1', 'loopback'],
    ['127.255.0.9', 'loopback'],
    ['::1', 'loopback'],
    ['10.0.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['192.168.0.1', 'private'],
    ['169.254.169.254', 'linkLocal'],
    ['fe80::1', 'linkLocal'],
    ['fd00::1', 'uniqueLocal'],
    ['224.0.0.251', 'multicast'],
    ['ff02::1', 'multicast'],
    ['0.0.0.0', 'unspecified'],
    ['::', 'unspecified'],
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:10.0.0.1', 'private'],
    ['100.64.0.1', 'carrierGradeNat'],
    ['255.255.255.255', 'broadcast'],
  ])('refuses %s (%s)', (address, range) => {
    expect(refusedRange(address)).toBe(range);
  });

  it.each(['93.184.216.34', '8.8.8.8', '2a00:1450:4010:c0e::64', '::ffff:93.184.216.34'])('lets %s through', (address) => {
    expect(refusedRange(address)).toBeNull();
  });

  it('checks every address a name resolves to, and URLs for their scheme', async () => {
    const guard = new WebhookAddressGuard(resolver({ 'ok.test': ['93.184.216.34'], 'mixed.test': ['93.184.216.34', '10.0.0.1'] }), {
      webhookAllowPrivate: false,
    });
    await expect(guard.checkUrl('https://ok.test/hook')).resolves.toBeUndefined();
    await expect(guard.checkUrl('https://mixed.test/hook')).rejects.toMatchObject({ reason: 'address', range: 'private' });
    await expect(guard.checkUrl('http://nowhere.test/')).rejects.toMatchObject({ reason: 'unresolvable' });
    await expect(guard.checkUrl('gopher://ok.test/')).rejects.toMatchObject({ reason: 'scheme' });
    await expect(guard.checkUrl('http://[::1]:8080/')).rejects.toBeInstanceOf(RefusedAddressError);
    const open = new WebhookAddressGuard(resolver({}), { webhookAllowPrivate: true });
    await expect(open.checkUrl('http://127.0.0.1:3000/')).resolves.toBeUndefined();
    await expect(open.checkUrl('ftp://127.0.0.1/')).rejects.toMatchObject({ reason: 'scheme' });
  });

  it("hands a connection only the addresses it checked (the Agent's lookup)", async () => {
    const guard = new WebhookAddressGuard(resolver({ 'ok.test': ['93.184.216.34'], 'evil.test': ['127.0.0.1'] }), { webhookAllowPrivate: false });
    const lookup = (host: string, all: boolean) =>
      new Promise((resolve, reject) =>
        guard.connectLookup(host, { all }, (error: Error | null, address: unknown) => (error ? reject(error) : resolve(address))),
      );
    await expect(lookup('ok.test', false)).resolves.toBe('93.184.216.34');
    await expect(lookup('ok.test', true)).resolves.toEqual([{ address: '93.184.216.34', family: 4 }]);
    await expect(lookup('evil.test', true)).rejects.toBeInstanceOf(RefusedAddressError);
  });
});
