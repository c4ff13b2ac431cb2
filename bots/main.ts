import { loadConfig } from '../adapters/config/config.ts';
import { ConfigInvalidError } from '../core/errors.ts';
import { renderBanner } from './banner.ts';
import { createApp } from './server.ts';

// The entry point of `npm start`: validate, compose, listen, and shut down cleanly on SIGTERM.
async function main(): Promise<void> {
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigInvalidError) {
      process.stderr.write(`support-verify cannot start: ${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }

  const app = await createApp(config);
  const url = await app.listen().catch((error: NodeJS.ErrnoException) => {
    const why =
      error.code === 'EADDRINUSE' ? `port ${config.port} is already in use; set PORT to another` : error.message;
    process.stderr.write(`support-verify cannot start: ${why}\n`);
    process.exit(1);
  });
  process.stdout.write(`${renderBanner(config, url)}\n`);

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    app.logger.info({ signal, drainSeconds: config.shutdownDrainSeconds }, 'shutting down');
    const force = setTimeout(() => process.exit(1), (config.shutdownDrainSeconds + 10) * 1000);
    force.unref();
    // Unready but still answering, until the load balancer has stopped sending new work here.
    app.drain();
    if (config.shutdownDrainSeconds > 0)
      await new Promise((resolve) => setTimeout(resolve, config.shutdownDrainSeconds * 1000));
    await app.close();
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('unhandledRejection', (reason) => {
    app.logger.error({ err: { name: (reason as Error)?.name } }, 'unhandled rejection');
  });
}

await main();
