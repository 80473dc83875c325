/** Tables of the collections surface (see migrations). */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface CollectionsTables {}
