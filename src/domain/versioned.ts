/** A stored value with the ETag it was read with; updates are conditioned on it. */
export interface Versioned<T> {
  value: T;
  etag: string;
}
