import { describe, expect, it } from 'vitest';
import { createEventBus, type CatalogEvent } from './events.js';

const ready: CatalogEvent = { type: 'track.ready', tenantId: 't', trackId: 'a', assetId: 'x' };
const deleted: CatalogEvent = { type: 'track.deleted', tenantId: 't', trackId: 'a', collectionId: null };

describe('catalog event bus', () => {
  it('hands each listener the events of the types it asked for, in order', async () => {
    const bus = createEventBus();
    const all: string[] = [];
    const onlyDeleted: string[] = [];
    bus.subscribe((e) => void all.push(e.type));
    bus.on('track.deleted', (e) => void onlyDeleted.push(e.trackId));
    await bus.publish(ready, deleted);
    expect(all).toEqual(['track.ready', 'track.deleted']);
    expect(onlyDeleted).toEqual(['a']);
  });

  it('keeps a failing listener from stopping the others, and logs it', async () => {
    const warnings: string[] = [];
    const bus = createEventBus({ warn: (obj, msg) => void warnings.push(`${(obj as { event: string }).event}: ${msg}`) });
    const seen: string[] = [];
    bus.subscribe(() => {
      throw new Error('boom');
    });
    bus.subscribe((e) => void seen.push(e.type));
    await expect(bus.publish(ready)).resolves.toBeUndefined();
    expect(seen).toEqual(['track.ready']);
    expect(warnings).toEqual(['track.ready: catalog event listener failed']);
  });
});
