import { StartupError } from './vm/accelerator.js';
import { loadConfig } from './config/config.js';
import { join } from 'node:path';
import { INSTRUCTOR_TOKEN_FILE } from './config/instructor-token.js';
import { createApp } from './server.js';
import { RedisConfigError } from './execution/remote/redis-connection.js';
import { RedisUnreachableError } from './execution/remote/remote-executor.js';

/** `npm start` ends here: start JailLab and print where to find it. */
const started = Date.now();
try {
  const app = await createApp(loadConfig());
  console.log(`\n  JailLab is running at ${app.url}  (started in ${((Date.now() - started) / 1000).toFixed(1)} s, ${app.pool ? `VMs on ${app.executor.capacity().accelerator}` : `runs go to runners (${app.executor.capacity().runners.length} up now)`})`);
  const where = app.config.instructorToken ? 'the one set in JAILLAB_INSTRUCTOR_TOKEN' : `in ${join(app.config.dataDir, INSTRUCTOR_TOKEN_FILE)}`;
  console.log(`  Workshops: ${app.url}/instructor, with the instructor token (${where}); students join at ${app.url}/join\n`);
  let stopping = false;
  const stop = (): void => {
    if (stopping) process.exit(1);
    stopping = true;
    console.log('stopping: cancelling runs and shutting VMs down…');
    void app.close().then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
} catch (e) {
  const known = e instanceof StartupError || e instanceof RedisConfigError || e instanceof RedisUnreachableError || (e as Error).name === 'DataDirError' || (e as Error).constructor.name === 'ContentError';
  console.error(`\nJailLab could not start: ${known ? (e as Error).message : ((e as Error).stack ?? e)}\n`);
  process.exit(1);
}
