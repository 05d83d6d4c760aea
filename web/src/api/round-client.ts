import type { RoundView, RunRecord } from '@jaillab/protocol';
import { Requests } from './requests.js';
import type { SocketClient } from './socket-client.js';

/** Break-it rounds over the socket: request and reply (the scoreboard comes with the dashboard and the member's view). */
export class RoundClient {
  private readonly requests: Requests;

  constructor(socket: SocketClient) {
    this.requests = new Requests(socket);
  }

  // Instructors.
  async open(workshopId: string, lessonId: string, minutes: number, budget: number): Promise<RoundView> {
    return (await this.requests.send({ type: 'round-open', workshopId, lessonId, minutes, budget }, 'round-opened')).round;
  }
  async end(workshopId: string, roundId: string): Promise<void> {
    await this.requests.send({ type: 'round-end', workshopId, roundId }, 'round-done');
  }
  async reveal(workshopId: string, roundId: string): Promise<void> {
    await this.requests.send({ type: 'round-reveal', workshopId, roundId }, 'round-done');
  }
  async exportCsv(workshopId: string, roundId: string): Promise<{ fileName: string; csv: string }> {
    const r = await this.requests.send({ type: 'round-export', workshopId, roundId }, 'round-export');
    return { fileName: r.fileName, csv: r.csv };
  }

  // Students.
  async submit(roundId: string): Promise<void> {
    await this.requests.send({ type: 'round-submit', roundId }, 'round-submitted');
  }
  async fire(roundId: string, target: { learnerId: string } | { random: true }, probe: { title: string; source: string }): Promise<{ shotId: string; target: string }> {
    const r = await this.requests.send({ type: 'round-fire', roundId, target, probe }, 'round-fired');
    return { shotId: r.shotId, target: r.target };
  }
  async record(shotId: string): Promise<RunRecord | null> {
    return (await this.requests.send({ type: 'round-record-get', shotId }, 'run-record')).record;
  }
}
