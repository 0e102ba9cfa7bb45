import { spawn } from 'node:child_process';

/**
 * Captures loopback traffic on `port` with tcpdump while `work` runs: the packets in a pcap file at
 * `file`. tcpdump needs the right to capture (root, or CAP_NET_RAW), as CI has.
 */
export async function captureLoopback<T>(file: string, filter: string, work: () => Promise<T>): Promise<T> {
  // --immediate-mode: without it the kernel hands packets over in blocks, and those of the last block are lost at SIGINT.
  const tcpdump = spawn('tcpdump', ['-i', 'lo', '--immediate-mode', '-U', '-n', '-w', file, filter], { stdio: ['ignore', 'ignore', 'pipe'] });
  let said = '';
  const exited = new Promise<number | null>((done) => tcpdump.once('exit', done));
  await new Promise<void>((ready, fail) => {
    tcpdump.stderr.on('data', (chunk: Buffer) => {
      said += chunk.toString('utf8');
      if (said.includes('listening on')) ready();
    });
    tcpdump.once('exit', (code) => fail(new Error(`tcpdump exited (${code}) before capturing: ${said}`)));
    tcpdump.once('error', fail);
  });
  try {
    return await work();
  } finally {
    // The last packets (the final ACK) reach tcpdump a moment after the peers are done; SIGINT makes it write them and exit.
    await new Promise((done) => setTimeout(done, 200));
    tcpdump.kill('SIGINT');
    await exited;
  }
}
