/** Verbs of the allocation: the accounthouder's card and the panel's eens / oneens. */
export const ALLOCATION_VERBS = {
  show: 'alloc.show',
  approve: 'alloc.approve',
  share: 'alloc.share',
  mark: 'alloc.mark',
} as const;
