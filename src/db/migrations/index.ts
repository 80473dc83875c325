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
import * as m0011 from './0011-distribution-webhooks.js';
import * as m0012 from './0012-product-references.js';
import * as m0013 from './0013-upload-watch.js';
import * as m0014 from './0014-rate-limit-windows.js';
import * as m0015 from './0015-delivery.js';
import * as m0016 from './0016-change-journal.js';
import * as m0017 from './0017-event-outbox.js';
import * as m0018 from './0018-pending-objects.js';
import * as m0019 from './0019-share-link-journal.js';

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
  '0011-distribution-webhooks': m0011,
  '0012-product-references': m0012,
  '0013-upload-watch': m0013,
  '0014-rate-limit-windows': m0014,
  '0015-delivery': m0015,
  '0016-change-journal': m0016,
  '0017-event-outbox': m0017,
  '0018-pending-objects': m0018,
  '0019-share-link-journal': m0019,
};
