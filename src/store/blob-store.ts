import { BlobServiceClient, ContainerClient, RestError } from '@azure/storage-blob';
import type { BlobInfo, BlobStore } from '../ports';

/** Blob calls retry briefly too; an upload has its own timeout (the file is at most 10 MB). */
const RETRY = { maxTries: 3, retryDelayInMs: 200, maxRetryDelayInMs: 1000, tryTimeoutInMs: 30_000 };

const statusOf = (e: unknown) => (e instanceof RestError ? e.statusCode : (e as { statusCode?: number })?.statusCode);

/** The attachments container of the bot's storage account (same account as the tables). */
export function azureBlobs(connectionString: string, container: string): BlobStore & { ensure(): Promise<void> } {
  const service = BlobServiceClient.fromConnectionString(connectionString, { retryOptions: RETRY });
  const client: ContainerClient = service.getContainerClient(container);
  return {
    async ensure() {
      // Private: nothing is reachable without the account's key or the bot's signed link.
      await client.createIfNotExists();
    },
    async put(name, bytes, contentType) {
      await client.getBlockBlobClient(name).uploadData(bytes, { blobHTTPHeaders: { blobContentType: contentType } });
    },
    async open(name) {
      try {
        const res = await client.getBlobClient(name).download();
        const body = res.readableStreamBody;
        if (!body) return undefined;
        return { size: Number(res.contentLength ?? 0), contentType: res.contentType ?? 'application/octet-stream', stream: body as AsyncIterable<Uint8Array> };
      } catch (e) {
        if (statusOf(e) === 404) return undefined;
        throw e;
      }
    },
    async delete(name) {
      await client.getBlobClient(name).deleteIfExists();
    },
    async list(prefix) {
      const out: BlobInfo[] = [];
      for await (const b of client.listBlobsFlat(prefix ? { prefix } : {})) {
        out.push({ name: b.name, createdAt: b.properties.createdOn ?? b.properties.lastModified });
      }
      return out;
    },
  };
}
