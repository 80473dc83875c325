/** Tables of the workspace surface (see migrations). */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface WorkspaceTables {}
