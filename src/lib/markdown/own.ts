/**
 * The mark on the renderer's own elements (code frames, task boxes, maths, highlighting). Only
 * marked elements keep classes and data-* attributes: model HTML cannot pose as the app's chrome
 * because it cannot guess the mark, which is random per page load and removed by the sanitiser
 * before anything reaches the DOM.
 */
const random = crypto.getRandomValues(new Uint8Array(12));
export const OWN = `data-own-${Array.from(random, (b) => b.toString(16).padStart(2, '0')).join('')}`;

/** The mark as it goes into a start tag: `<div${own} class="…">`. */
export const own = ` ${OWN}`;
