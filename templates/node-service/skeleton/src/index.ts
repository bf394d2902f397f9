import { createApp } from './server.js';

const port = Number(process.env.PORT ?? 8080);
const server = createApp();

server.listen(port, () => {
  console.log(`listening on :${port}`);
});

// Kubernetes sends SIGTERM before stopping a pod: finish what is in flight.
process.on('SIGTERM', () => {
  server.close(() => process.exit(0));
});
