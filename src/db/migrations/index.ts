import type { Migration } from 'kysely';
import * as m0001 from './0001-foundation.js';
import * as m0002 from './0002-catalog.js';
import * as m0003 from './0003-collections.js';
import * as m0004 from './0004-workspace.js';
import * as m0005 from './0005-distribution.js';
import * as m0006 from './0006-change-notices.js';
import * as m0007 from './0007-share-link-lockout.js';
import * as m0008 from './0008-upload-write-once.js';
import * as m0009 from './0009-foreign-keys.js';
import * as m0010 from './0010-catalog-announcements.js';
import * as m0014 from './0014-delivery.js';

/** Every migration, in order. Listed explicitly so they bundle and run the same from source or build. */
export const migrations: Record<string, Migration> = {
  '0001-foundation': m0001,
  '0002-catalog': m0002,
  '0003-collections': m0003,
  '0004-workspace': m0004,
  '0005-distribution': m0005,
  '0006-change-notices': m0006,
  '0007-share-link-lockout': m0007,
  '0008-upload-write-once': m0008,
  '0009-foreign-keys': m0009,
  '0010-catalog-announcements': m0010,
  '0014-delivery': m0014,
};
