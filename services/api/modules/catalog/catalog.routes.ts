import { z } from 'zod';
import { EVERYONE, STAFF } from '../../http/roles.ts';
import { route } from '../../http/route.ts';
import { itemCreate, itemPatch, recordCreate, recordPatch, vocabularyAdd } from './catalog.schema.ts';
import {
  itemCreator, itemDeleter, itemLoader, itemUpdater, nextCallNumberFinder, presentItem, presentRecord, recordCreator, recordDeleter,
  recordItemsLoader, recordLoader, recordUpdater,
} from './catalog.service.ts';
import { vocabularyAdder, vocabularyLister } from './vocabulary.service.ts';
import { recordFilesLister } from '../files/record-files.ts';
import { recordPageExtras } from '../analytics/record-page.ts';
import { searchRoutes } from '../search/search.routes.ts';

const deletion = z.object({ reason: z.string().trim().max(500).optional() }).strict();

export function catalogRoutes() {
  return [
    // GET /api/v1/records and /records/suggest (the SearchIndex), ahead of /records/:id.
    ...searchRoutes(),
    route({
      method: 'post', path: '/api/v1/records', tag: 'records', summary: 'Create a record', allow: STAFF, body: recordCreate, responses: { 201: 'Created', 422: 'Invalid (e.g. invalid-isbn)' },
      handler: async (ctx, { body }) => {
        const record = await recordCreator(ctx.deps, ctx.state.em, body);
        ctx.status = 201;
        ctx.set('Location', `/api/v1/records/${record.id}`);
        ctx.body = presentRecord(record);
      },
    }),
    route({
      method: 'get', path: '/api/v1/records/:id', tag: 'records', summary: 'A record with its copies and digital holdings', allow: EVERYONE,
      handler: async (ctx, { params }) => {
        const record = await recordLoader(ctx.state.em, params.id!);
        const items = await recordItemsLoader(ctx.state.em, record.id);
        const files = await recordFilesLister(ctx.deps, ctx.state.em, record.id, ctx.state.user);
        ctx.body = { ...presentRecord(record), items: items.map(presentItem), files };
        Object.assign(ctx.body as object, await recordPageExtras(ctx, record)); // issue 6: the view is counted; buyLinks from the ISBN
      },
    }),
    route({
      method: 'patch', path: '/api/v1/records/:id', tag: 'records', summary: 'Update a record (the ISBN cannot change)', allow: STAFF, body: recordPatch,
      handler: async (ctx, { body, params }) => {
        const before = presentRecord(await recordLoader(ctx.state.em.fork(), params.id!));
        ctx.body = presentRecord(await recordUpdater(ctx.deps, ctx.state.em, params.id!, body));
        ctx.state.audit = { entityType: 'record', before };
      },
    }),
    route({
      method: 'delete', path: '/api/v1/records/:id', tag: 'records', summary: 'Delete a record, its copies and files (refused while a copy is on loan)', allow: STAFF,
      responses: { 204: 'Deleted', 409: 'item-on-loan or item-on-hold' },
      handler: async (ctx, { params }) => {
        const body = deletion.safeParse((ctx.request as { body?: unknown }).body ?? {});
        ctx.state.audit = { entityType: 'record', before: presentRecord(await recordLoader(ctx.state.em.fork(), params.id!)) };
        await recordDeleter(ctx.deps, ctx.state.em, params.id!, { id: ctx.state.user?.id ?? null }, body.success ? body.data.reason : undefined);
        ctx.status = 204;
      },
    }),
    route({
      method: 'post', path: '/api/v1/records/:id/items', tag: 'items', summary: 'Add a physical copy', allow: STAFF, body: itemCreate, responses: { 201: 'Created' },
      handler: async (ctx, { body, params }) => {
        const item = await itemCreator(ctx.deps, ctx.state.em, params.id!, body);
        ctx.status = 201;
        ctx.set('Location', `/api/v1/items/${item.id}`);
        ctx.body = presentItem(item);
      },
    }),
    route({
      method: 'get', path: '/api/v1/items/next-call-number', tag: 'items', summary: 'The lowest unused 10-digit call number', allow: STAFF,
      handler: async (ctx) => {
        ctx.body = { callNumber: await nextCallNumberFinder(ctx.state.em) };
      },
    }),
    route({
      method: 'get', path: '/api/v1/items/:id', tag: 'items', summary: 'A copy', allow: EVERYONE,
      handler: async (ctx, { params }) => {
        ctx.body = presentItem(await itemLoader(ctx.state.em, params.id!));
      },
    }),
    route({
      method: 'patch', path: '/api/v1/items/:id', tag: 'items', summary: 'Update a copy', allow: STAFF, body: itemPatch,
      handler: async (ctx, { body, params }) => {
        const before = presentItem(await itemLoader(ctx.state.em.fork(), params.id!));
        ctx.body = presentItem(await itemUpdater(ctx.deps, ctx.state.em, params.id!, body));
        ctx.state.audit = { entityType: 'item', before };
      },
    }),
    route({
      method: 'delete', path: '/api/v1/items/:id', tag: 'items', summary: 'Withdraw a copy (refused while on loan or on hold; logged)', allow: STAFF,
      responses: { 204: 'Deleted', 409: 'item-on-loan or item-on-hold' },
      handler: async (ctx, { params }) => {
        const body = deletion.safeParse((ctx.request as { body?: unknown }).body ?? {});
        ctx.state.audit = { entityType: 'item', before: presentItem(await itemLoader(ctx.state.em.fork(), params.id!)) };
        await itemDeleter(ctx.deps, ctx.state.em, params.id!, { id: ctx.state.user?.id ?? null }, body.success ? body.data.reason : undefined);
        ctx.status = 204;
      },
    }),
    route({
      method: 'get', path: '/api/v1/vocabularies/:name', tag: 'vocabularies', summary: 'Choices for an enumerated field (locations, loan-categories, media-types)', allow: EVERYONE,
      handler: async (ctx, { params }) => {
        ctx.body = { name: params.name, values: await vocabularyLister(ctx.state.em, params.name!) };
      },
    }),
    route({
      method: 'post', path: '/api/v1/vocabularies/:name', tag: 'vocabularies', summary: 'Add a choice', allow: STAFF, body: vocabularyAdd, responses: { 201: 'Added', 409: 'Already present' },
      handler: async (ctx, { body, params }) => {
        ctx.status = 201;
        ctx.body = await vocabularyAdder(ctx.state.em, params.name!, body.value, body.label);
      },
    }),
  ];
}
