/**
 * Every message key, as a type only: the English keys of every area. Modules that must not load
 * i18n (wire, db, markdown) name keys through this; its imports are erased at build.
 */
import type { app } from './messages/app.ts';
import type { wire } from './messages/wire.ts';
import type { db } from './messages/db.ts';
import type { history } from './messages/history.ts';
import type { models } from './messages/models.ts';
import type { workspace } from './messages/workspace.ts';
import type { experiment } from './messages/experiment.ts';
import type { modes } from './messages/modes.ts';

/**
 * `translate`, `Settings.t` and `Message.key` take only these, so a mistyped key fails
 * `npm run check`; a dynamic key type-checks when its template literal type names only keys
 * that exist, e.g. `t(`role.${role}`)` with `role: Role`.
 */
export type MessageKey =
	| keyof typeof app.en
	| keyof typeof wire.en
	| keyof typeof db.en
	| keyof typeof models.en
	| keyof typeof history.en
	| keyof typeof workspace.en
	| keyof typeof experiment.en
	| keyof typeof modes.en;
