import type { CatalogTables } from './tables/catalog.js';
import type { CollectionsTables } from './tables/collections.js';
import type { DistributionTables } from './tables/distribution.js';
import type { FoundationTables } from './tables/foundation.js';
import type { WorkspaceTables } from './tables/workspace.js';

export interface Database extends FoundationTables, CatalogTables, CollectionsTables, WorkspaceTables, DistributionTables {}
