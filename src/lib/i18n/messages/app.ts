export const app = {
	en: {
		'app.title': 'Switchboard'
	},
	zh: {
		'app.title': 'Switchboard'
	}
};
