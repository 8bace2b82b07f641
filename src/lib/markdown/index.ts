export { renderMarkdown, createEngine, renderBlocks, type RenderOptions } from './render.ts';
export { StreamingRenderer, assemble, type Block } from './streaming.ts';
export { sanitize, sanitizeFragment, sanitizerReady } from './sanitize.ts';
export { loadAllLanguages } from './highlight.ts';
export { loadMath } from './math.ts';
