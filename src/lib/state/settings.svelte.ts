import { pickLocale, translate, type Locale, type MessageKey } from '../i18n/index.ts';
import { getSetting, setSetting } from '../db/settings.ts';
import type { SwitchboardDb } from '../db/schema.ts';
import type { Message } from '../util/message.ts';

export type Theme = 'system' | 'light' | 'dark';

const RECENT_MODELS = 8;

/** Language and theme: read once at start, saved when changed. */
export class Settings {
	#db: SwitchboardDb;
	locale = $state<Locale>('en');
	theme = $state<Theme>('system');
	#recentModels = $state.raw<string[]>([]);

	constructor(db: SwitchboardDb) {
		this.#db = db;
		this.locale = pickLocale(typeof navigator === 'undefined' ? [] : navigator.languages);
	}

	async load(): Promise<void> {
		this.locale = await getSetting(this.#db, 'locale', this.locale);
		this.theme = await getSetting<Theme>(this.#db, 'theme', 'system');
		this.#recentModels = await getSetting<string[]>(this.#db, 'recentModels', []);
	}

	/** Models sent to lately, newest first: the model picker lists them first. */
	get recentModels(): string[] {
		return this.#recentModels;
	}

	rememberModels(ids: string[]): void {
		const fresh = ids.map((id) => id.trim()).filter(Boolean);
		const next = [...fresh, ...this.#recentModels]
			.filter((id, i, all) => all.indexOf(id) === i)
			.slice(0, RECENT_MODELS);
		if (next.join('\n') === this.#recentModels.join('\n')) return;
		this.#recentModels = next;
		void setSetting(this.#db, 'recentModels', next);
	}

	/** Translate a key; the components' one way to show text. A mistyped key does not compile. */
	t = (key: MessageKey, vars?: Record<string, string | number>): string =>
		translate(this.locale, key, vars);

	/** Translate a Message from the wire, db or markdown layers. */
	m = (message: Message): string => translate(this.locale, message.key, message.vars);

	setLocale(locale: Locale): void {
		this.locale = locale;
		void setSetting(this.#db, 'locale', locale);
	}

	setTheme(theme: Theme): void {
		this.theme = theme;
		void setSetting(this.#db, 'theme', theme);
	}
}
