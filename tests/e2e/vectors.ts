/** Hostile model output the security journeys and the sanitiser tests run through the app. */
import { readFileSync } from 'node:fs';

/** DOMPurify's own XSS payloads (see tests/fixtures/corpora). */
export const vectors = JSON.parse(
	readFileSync(new URL('../fixtures/corpora/dompurify-vectors.json', import.meta.url), 'utf8')
) as Array<{ title: string; payload: string }>;

/** Markdown-specific attacks of our own, on top of DOMPurify's corpus. */
export const MARKDOWN_VECTORS = [
	'[click](javascript:alert(1))',
	'[click](JaVaScRiPt:alert(1))',
	'[click](java\tscript:alert(1))',
	'[click](&#106;avascript:alert(1))',
	'[click](&#x6A;avascript:alert(1))',
	'[click](%6Aavascript:alert(1))',
	'[click](vbscript:msgbox(1))',
	'[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)',
	'[ref][x]\n\n[x]: javascript:alert(1)',
	'<javascript:alert(1)>',
	'![img](javascript:alert(1))',
	'![img](https://attacker.example/track.png)',
	'![img][t]\n\n[t]: https://attacker.example/ref.png',
	'<img src="https://attacker.example/raw.png">',
	'<img src=x onerror=alert(1)>',
	'<div onmouseover="alert(1)">hover</div>',
	'<a href="javascript:alert(1)">raw link</a>',
	'<iframe src="https://attacker.example/"></iframe>',
	'<form action="https://attacker.example/"><button>go</button></form>',
	'<style>body{background:url(https://attacker.example/css.png)}</style>',
	'<svg><script>alert(1)</script></svg>',
	'<video poster="https://attacker.example/p.png"></video>',
	'<object data="https://attacker.example/x.swf"></object>',
	'<link rel="stylesheet" href="https://attacker.example/s.css">',
	'<table background="https://attacker.example/bg.png"><tr><td>x</td></tr></table>',
	'```html"><script>alert(1)</script>\ncode\n```',
	'```"><img src=x onerror=alert(1)>\nx\n```',
	'$\\href{javascript:alert(1)}{math link}$',
	'$$\\url{javascript:alert(1)}$$',
	'<a href="https://ok.example/" target="_self">ok link</a>'
];
