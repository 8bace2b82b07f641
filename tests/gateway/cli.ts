/** `npm run gateway [port]`: the test gateway on 127.0.0.1, for trying the app by hand. */
import { MODELS, startGateway } from './server.ts';

const port = Number(process.argv[2] ?? 8787);
const gateway = await startGateway({ port });
console.log(`Test gateway on ${gateway.url}/v1 — models: ${MODELS.join(', ')}`);
console.log('Each model name picks a behaviour (see tests/gateway/models.ts). Ctrl+C stops it.');
