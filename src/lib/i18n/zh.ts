/**
 * Every Simplified Chinese table of the main views, as one chunk: loaded by `loadLocale` only when
 * the language is Chinese. (The experiment view's strings come with the view, in both languages.)
 */
import type { Table } from './area.ts';
import { zh as app } from './messages/zh/app.ts';
import { zh as wire } from './messages/zh/wire.ts';
import { zh as db } from './messages/zh/db.ts';
import { zh as models } from './messages/zh/models.ts';
import { zh as history } from './messages/zh/history.ts';
import { zh as workspace } from './messages/zh/workspace.ts';
import { zh as modes } from './messages/zh/modes.ts';

export const zh: Table = { ...app, ...wire, ...db, ...models, ...history, ...workspace, ...modes };
