import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { downloadAllowed, downloadFile, hostAllowed } from '../../src/app/application/file-download';
import { ConfigError, DEFAULT_FILE_DOWNLOAD_HOSTS, loadConfig } from '../../src/config';

/** Attachment downloads fetch only from the allowed hosts (FILE_DOWNLOAD_HOSTS), https only, loopback only in local and test runs. */

const hosts = [...DEFAULT_FILE_DOWNLOAD_HOSTS];
const production = { hosts, allowLoopback: false };
const test = { hosts, allowLoopback: true };

describe('the download allow-list', () => {
  it('takes SharePoint and OneDrive hosts Teams hands out, over https on the standard port', () => {
    for (const url of [
      'https://contoso.sharepoint.com/personal/anouk/_layouts/15/download.aspx?UniqueId=1&Translate=false&tempauth=x',
      'https://contoso-my.sharepoint.com/personal/anouk_contoso_nl/Documents/begroting.pdf',
      'https://CONTOSO.SharePoint.com/sites/x/a.docx',
      'https://msft.sharepoint-df.com/a.pdf',
      'https://contoso.sharepoint.com:443/a.pdf',
    ])
      expect(downloadAllowed(url, production), url).toBe(true);
  });

  it('refuses every other host, http, another port, userinfo and look-alike hosts', () => {
    for (const url of [
      'https://evil.example.com/a.pdf',
      'https://sharepoint.com/a.pdf',
      'https://evilsharepoint.com/a.pdf',
      'https://contoso.sharepoint.com.evil.example/a.pdf',
      'https://contoso.sharepoint.com./a.pdf',
      'http://contoso.sharepoint.com/a.pdf',
      'https://contoso.sharepoint.com:8443/a.pdf',
      'https://user:pw@contoso.sharepoint.com/a.pdf',
      'https://169.254.169.254/latest/meta-data',
      'file:///etc/passwd',
      'ftp://contoso.sharepoint.com/a.pdf',
      'not a url',
    ])
      expect(downloadAllowed(url, production), url).toBe(false);
  });

  it('loopback only in local and test runs (http or https); never in production', () => {
    for (const url of ['http://127.0.0.1:4000/a.pdf', 'https://localhost/a.pdf', 'http://[::1]:4000/a.pdf']) {
      expect(downloadAllowed(url, test), url).toBe(true);
      expect(downloadAllowed(url, production), url).toBe(false);
    }
    expect(downloadAllowed('http://10.0.0.5/a.pdf', test)).toBe(false);
  });

  it('an exact host matches only itself; *. matches subdomains, not the domain', () => {
    expect(hostAllowed('files.zwolle.nl', ['files.zwolle.nl'])).toBe(true);
    expect(hostAllowed('x.files.zwolle.nl', ['files.zwolle.nl'])).toBe(false);
    expect(hostAllowed('sharepoint.com', ['*.sharepoint.com'])).toBe(false);
    expect(hostAllowed('a.b.sharepoint.com', ['*.sharepoint.com'])).toBe(true);
  });

  it('a refused URL is never requested', async () => {
    let requests = 0;
    const server = createServer((_req, res) => {
      requests++;
      res.end('x');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/a.pdf`;
    try {
      expect(await downloadFile(url, { maxBytes: 10, ...production })).toEqual({ ok: false, code: 'REFUSED_URL' });
      expect(requests).toBe(0);
      expect(await downloadFile(url, { maxBytes: 10, ...test })).toMatchObject({ ok: true });
      expect(requests).toBe(1);
    } finally {
      await new Promise((r) => server.close(r));
    }
  });
});

describe('FILE_DOWNLOAD_HOSTS', () => {
  const base = { STORAGE_CONNECTION_STRING: 'UseDevelopmentStorage=true', APP_ENV: 'local' };

  it('defaults to the SharePoint hosts; loopback only for local and test', () => {
    const local = loadConfig(base);
    expect(local.attachments.downloadHosts).toEqual(['*.sharepoint.com', '*.sharepoint-df.com']);
    expect(local.attachments.allowLoopbackDownloads).toBe(true);
    expect(loadConfig({ ...base, APP_ENV: 'test' }).attachments.allowLoopbackDownloads).toBe(true);
    const production = loadConfig({
      ...base,
      APP_ENV: 'production',
      MicrosoftAppId: 'abc',
      MicrosoftAppPassword: 'pw',
      MicrosoftAppTenantId: '7c1d9f43-2b8e-4b8f-9a51-0f4c2b7e1a11',
      LINK_SECRET: 'a-production-secret-of-enough-length-0123456789',
    });
    expect(production.attachments).toMatchObject({ allowLoopbackDownloads: false, downloadHosts: ['*.sharepoint.com', '*.sharepoint-df.com'] });
  });

  it('takes a list of hosts, lower-cased; refuses what is not a host name', () => {
    expect(loadConfig({ ...base, FILE_DOWNLOAD_HOSTS: ' *.SharePoint.com , files.zwolle.nl ' }).attachments.downloadHosts).toEqual([
      '*.sharepoint.com',
      'files.zwolle.nl',
    ]);
    for (const bad of ['*', '*.com.', 'https://contoso.sharepoint.com', 'a b.nl', '*.*.sharepoint.com', ' , '])
      expect(() => loadConfig({ ...base, FILE_DOWNLOAD_HOSTS: bad }), bad).toThrow(ConfigError);
  });
});
