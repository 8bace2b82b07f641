/**
 * Where a thread that follows the stream scrolls to. The newest prompt sits at the top of the
 * view while its answer is short (so every column shows its latest turn, and turns line up
 * across columns); once the answer outgrows the view, the newest text stays at the bottom.
 * Distances are in pixels from the top of the scrolled content.
 */
export interface ThreadGeometry {
	/** Top of the newest user message (0 when there is none). */
	promptTop: number;
	/** Bottom of the last message, without the spacer. */
	contentEnd: number;
	/** Height of the visible area. */
	viewport: number;
	/** Breathing room kept above the prompt and below the newest text. */
	pad: number;
}

/** The scroll position that shows the latest turn as described above. */
export function followTarget(g: ThreadGeometry): number {
	return Math.max(0, g.promptTop - g.pad, g.contentEnd + g.pad - g.viewport);
}

/** Empty room below the content so the newest prompt can reach the top of the view. */
export function spacerHeight(g: ThreadGeometry): number {
	return Math.max(0, Math.ceil(g.viewport - (g.contentEnd - g.promptTop) - g.pad));
}

/**
 * Following stops when the user scrolls up, away from the latest turn, and starts again when
 * they come back to it; `slack` forgives a few pixels of rounding and momentum.
 */
export function isFollowing(scrollTop: number, target: number, slack = 48): boolean {
	return scrollTop >= target - slack;
}
