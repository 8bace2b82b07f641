import { loadLocale, pickLocale, translate, type Locale, type MessageKey } from '../i18n/index.ts';
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
	/** The language asked for last: a slower load of an earlier choice must not win. */
	#wanted: Locale = 'en';

	constructor(db: SwitchboardDb) {
		this.#db = db;
		this.locale = this.#wanted = pickLocale(
			typeof navigator === 'undefined' ? [] : navigator.languages
		);
	}

	async load(): Promise<void> {
		const [locale, theme, recent] = await Promise.all([
			getSetting(this.#db, 'locale', this.locale),
			getSetting<Theme>(this.#db, 'theme', 'system'),
			getSetting<string[]>(this.#db, 'recentModels', [])
		]);
		await this.#use(locale);
		this.theme = theme;
		this.#recentModels = recent;
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
		void this.#use(locale);
		void setSetting(this.#db, 'locale', locale);
	}

	/** Switches once the language's strings have loaded, so nothing shows a mix of two. */
	#use(locale: Locale): Promise<void> {
		this.#wanted = locale;
		return loadLocale(locale).then(() => {
			if (this.#wanted === locale) this.locale = locale;
		});
	}

	setTheme(theme: Theme): void {
		this.theme = theme;
		void setSetting(this.#db, 'theme', theme);
	}
}
