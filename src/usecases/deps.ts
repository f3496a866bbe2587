import type { Clock } from '../clock';
import type { BlobStore, Repos } from '../ports';
import type { AttachmentLinker } from './attachment-links';

/** What every use case gets: the repositories and the clock. */
export interface Deps {
  repos: Repos;
  clock: Clock;
  /** Entra object ids of the accounthouders bootstrapped from config. */
  accounthouders?: readonly string[];
  /** The attachments' bytes; absent when the storage account has no Blob service configured (files are then refused). */
  blobs?: BlobStore;
  /** Signs the attachments' download links on cards; absent: names without links. */
  attachmentLinks?: AttachmentLinker;
  /** Keys the pseudonyms that replace people's ids when their term passes (PSEUDONYM_SECRET). */
  pseudonymSecret?: string;
}
