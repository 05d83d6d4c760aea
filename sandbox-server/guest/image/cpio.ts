/**
 * A minimal writer for the "newc" cpio format the kernel unpacks as an
 * initramfs. Written here rather than calling cpio(1) so the image is
 * byte-for-byte reproducible (sorted entries, zero mtimes, fixed owners).
 */

export type CpioEntry =
  | { kind: 'dir'; path: string; mode: number }
  | { kind: 'file'; path: string; mode: number; data: Uint8Array }
  | { kind: 'symlink'; path: string; target: string };

const S_IFDIR = 0o040000;
const S_IFREG = 0o100000;
const S_IFLNK = 0o120000;

function hex8(n: number): string {
  return n.toString(16).padStart(8, '0');
}

function pad4(n: number): number {
  return (4 - (n % 4)) % 4;
}

export function writeCpio(entries: CpioEntry[]): Buffer {
  const parts: Buffer[] = [];
  let ino = 1;
  const push = (name: string, mode: number, data: Uint8Array): void => {
    const nameBytes = Buffer.from(name + '\0');
    const header =
      '070701' +
      hex8(ino++) +
      hex8(mode) +
      hex8(0) + // uid
      hex8(0) + // gid
      hex8(1) + // nlink
      hex8(0) + // mtime
      hex8(data.byteLength) +
      hex8(0) + // devmajor
      hex8(0) + // devminor
      hex8(0) + // rdevmajor
      hex8(0) + // rdevminor
      hex8(nameBytes.byteLength) +
      hex8(0); // check
    parts.push(Buffer.from(header, 'ascii'), nameBytes, Buffer.alloc(pad4(110 + nameBytes.byteLength)));
    parts.push(Buffer.from(data.buffer, data.byteOffset, data.byteLength), Buffer.alloc(pad4(data.byteLength)));
  };
  const sorted = [...entries].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  for (const e of sorted) {
    const name = e.path.replace(/^\/+/, '');
    if (e.kind === 'dir') push(name, S_IFDIR | e.mode, new Uint8Array());
    else if (e.kind === 'file') push(name, S_IFREG | e.mode, e.data);
    else push(name, S_IFLNK | 0o777, Buffer.from(e.target));
  }
  push('TRAILER!!!', 0, new Uint8Array());
  return Buffer.concat(parts);
}
