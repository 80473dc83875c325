/** Tables of the distribution surface (see migrations). */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface DistributionTables {}
