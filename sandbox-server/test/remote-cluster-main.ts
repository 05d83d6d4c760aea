import { startRemoteCluster } from './remote-cluster.js';

/**
 * `npm run -w sandbox-server remote-cluster`: Redis, runners and a server in
 * remote mode, until stopped — what the e2e suite's remote project runs
 * against (JAILLAB_CLUSTER_PORT, JAILLAB_CLUSTER_RUNNERS=name,name,
 * JAILLAB_CLUSTER_SLOTS; the server gets JAILLAB_INSTRUCTOR_TOKEN as given).
 */
const runners = (process.env.JAILLAB_CLUSTER_RUNNERS ?? 'runner-1').split(',').filter(Boolean);
const cluster = await startRemoteCluster({
  runners,
  slotsPerRunner: Number(process.env.JAILLAB_CLUSTER_SLOTS ?? 2),
  port: Number(process.env.JAILLAB_CLUSTER_PORT ?? 0),
});
for (const line of cluster.server.log) console.log(`server: ${line}`);
cluster.server.child.stdout?.on('data', (d: Buffer) => process.stdout.write(`server: ${d}`));
console.log(`remote cluster: server at ${cluster.server.url}, runners ${runners.join(', ')}, Redis at ${cluster.redis.url}`);
let stopping = false;
const stop = (): void => {
  if (stopping) return;
  stopping = true;
  void cluster.stop().then(() => process.exit(0));
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
