export type {
  BlobStat,
  BlobStore,
  ByteRange,
  GetResult,
  MaterializedBlob,
  PutOptions,
  SignedGetOptions,
  SignedPut,
  SignedPutOptions,
} from './blob-store.js';
export { MAX_SIGNED_URL_TTL_SEC } from './blob-store.js';
export { createBlobStore, type AnyBlobStore, type BlobStoreConfig } from './create-blob-store.js';
export { LocalBlobStore, type LocalBlobStoreOptions } from './local-blob-store.js';
export { S3BlobStore, type S3BlobStoreOptions } from './s3-blob-store.js';
export { registerLocalStorageRoutes, type LocalStorageRoutesOptions } from './local-storage.routes.js';
export { UrlSigner, type UrlGrant } from './url-signer.js';
export * from './object-keys.js';
