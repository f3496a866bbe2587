import type { BlobInfo, BlobStore } from '../ports';

/** The memory twin of the blob store (use-case tests); `failNextPut`/`failNextDelete` make a call fail as storage would. */
export function memoryBlobs(now: () => Date = () => new Date()): BlobStore & {
  blobs: Map<string, { bytes: Uint8Array; contentType: string; createdAt: Date }>;
  failNextDelete?: Error;
} {
  const blobs = new Map<string, { bytes: Uint8Array; contentType: string; createdAt: Date }>();
  const store = {
    blobs,
    failNextDelete: undefined as Error | undefined,
    async put(name: string, bytes: Uint8Array, contentType: string) {
      blobs.set(name, { bytes: new Uint8Array(bytes), contentType, createdAt: now() });
    },
    async open(name: string) {
      const b = blobs.get(name);
      if (!b) return undefined;
      return {
        size: b.bytes.length,
        contentType: b.contentType,
        stream: (async function* () {
          yield b.bytes;
        })(),
      };
    },
    async delete(name: string) {
      const e = store.failNextDelete;
      if (e) {
        store.failNextDelete = undefined;
        throw e;
      }
      blobs.delete(name);
    },
    async list(prefix: string): Promise<BlobInfo[]> {
      return [...blobs.entries()].filter(([n]) => n.startsWith(prefix)).map(([name, b]) => ({ name, createdAt: b.createdAt }));
    },
  };
  return store;
}
