import type { FileHandle } from 'node:fs/promises';

/**
 * The backup archive is a plain POSIX ustar file (`tar tf backup.tar` lists it), written and read
 * here rather than by a tar package: the reader is strict, so that ONE changed byte anywhere is
 * refused. Every header must be exactly the header this writer makes for its name, size and time
 * (so a change in any field, the checksum's own digits included, shows), every padding byte and
 * both closing blocks must be zero, and nothing may follow them. General tar readers skip padding
 * and whatever follows the first zero block.
 *
 * Only regular files; names up to 100 bytes, or 255 split at a slash (ustar's prefix field);
 * entries up to 8 GiB (11 octal digits) — a larger file is refused when writing.
 */
const BLOCK = 512;
const MAX_SIZE = 8 ** 11 - 1;
const CHUNK = 1 << 20;

export interface TarHeader {
  name: string;
  size: number;
  /** Seconds since 1970, as tar keeps it. */
  mtime: number;
}

function octal(value: number, digits: number): string {
  return `${value.toString(8).padStart(digits, '0')}\0`;
}

/** The one header this format writes for a file: mode 0644, owner 0, no user or group names. */
export function encodeHeader({ name, size, mtime }: TarHeader): Buffer {
  if (!/^[\x21-\x7e]+$/.test(name)) throw new Error(`tar: name must be printable ASCII: ${name}`);
  if (!Number.isInteger(size) || size < 0 || size > MAX_SIZE) throw new Error(`tar: ${name} is too large`);
  let prefix = '';
  let rest = name;
  if (name.length > 100) {
    const cut = name.lastIndexOf('/', 155);
    if (cut <= 0 || name.length - cut - 1 > 100) throw new Error(`tar: name too long: ${name}`);
    prefix = name.slice(0, cut);
    rest = name.slice(cut + 1);
  }
  const block = Buffer.alloc(BLOCK);
  block.write(rest, 0, 'ascii');
  block.write(octal(0o644, 7), 100, 'ascii');
  block.write(octal(0, 7), 108, 'ascii');
  block.write(octal(0, 7), 116, 'ascii');
  block.write(octal(size, 11), 124, 'ascii');
  block.write(octal(mtime, 11), 136, 'ascii');
  block.write('        ', 148, 'ascii');
  block.write('0', 156, 'ascii');
  block.write('ustar\u000000', 257, 'ascii');
  block.write(octal(0, 7), 329, 'ascii');
  block.write(octal(0, 7), 337, 'ascii');
  block.write(prefix, 345, 'ascii');
  let sum = 0;
  for (const byte of block) sum += byte;
  block.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 'ascii');
  return block;
}

/** What `encodeHeader` put in a block; null when the block cannot be one of its headers. */
function decodeHeader(block: Buffer): TarHeader | null {
  const text = (start: number, length: number) => {
    const field = block.subarray(start, start + length);
    const end = field.indexOf(0);
    return field.subarray(0, end === -1 ? length : end).toString('ascii');
  };
  const size = Number.parseInt(text(124, 12), 8);
  const mtime = Number.parseInt(text(136, 12), 8);
  const prefix = text(345, 155);
  const name = prefix ? `${prefix}/${text(0, 100)}` : text(0, 100);
  if (!Number.isFinite(size) || !Number.isFinite(mtime) || name === '') return null;
  try {
    return encodeHeader({ name, size, mtime }).equals(block) ? { name, size, mtime } : null;
  } catch {
    return null;
  }
}

const padding = (size: number) => (BLOCK - (size % BLOCK)) % BLOCK;

/** Appends entries to an open file; `finish` writes the two closing zero blocks. */
export class TarWriter {
  private position = 0;
  constructor(private readonly file: FileHandle) {}

  get bytes(): number {
    return this.position;
  }

  private async write(data: Uint8Array): Promise<void> {
    let done = 0;
    while (done < data.length) {
      const { bytesWritten } = await this.file.write(data, done, data.length - done, this.position);
      done += bytesWritten;
      this.position += bytesWritten;
    }
  }

  /**
   * One entry of `header.size` bytes from `content`. Throws when the content is longer or shorter
   * than announced: the header is already written, so the caller abandons the whole file.
   */
  async add(header: TarHeader, content: AsyncIterable<Uint8Array> | Uint8Array): Promise<void> {
    await this.write(encodeHeader(header));
    let written = 0;
    const chunks = content instanceof Uint8Array ? [content] : content;
    for await (const chunk of chunks) {
      written += chunk.length;
      if (written > header.size) break;
      await this.write(chunk);
    }
    if (written !== header.size) {
      throw new Error(`tar: ${header.name} has ${written} bytes, ${header.size} announced`);
    }
    await this.write(Buffer.alloc(padding(header.size)));
  }

  async finish(): Promise<void> {
    await this.write(Buffer.alloc(2 * BLOCK));
  }
}

export interface TarEntry extends TarHeader {
  /** The entry's bytes, read on demand; read them before asking for the next entry. */
  content(): AsyncIterable<Buffer>;
}

/** Thrown for any byte the writer would not have written; the reason says where. */
export class TarFormatError extends Error {}

/** The entries of an archive written by TarWriter, checked as described above. */
export async function* readTar(file: FileHandle): AsyncGenerator<TarEntry> {
  const length = (await file.stat()).size;
  let position = 0;
  const read = async (at: number, size: number): Promise<Buffer> => {
    const buffer = Buffer.alloc(size);
    let done = 0;
    while (done < size) {
      const { bytesRead } = await file.read(buffer, done, size - done, at + done);
      if (bytesRead === 0) throw new TarFormatError(`the archive ends early, at byte ${at + done}`);
      done += bytesRead;
    }
    return buffer;
  };
  for (;;) {
    if (position + BLOCK > length) throw new TarFormatError(`the archive ends early, at byte ${position}`);
    const block = await read(position, BLOCK);
    if (block.every((byte) => byte === 0)) {
      if (position + 2 * BLOCK !== length) {
        throw new TarFormatError(`bytes other than the two closing blocks at byte ${position}`);
      }
      const second = await read(position + BLOCK, BLOCK);
      if (!second.every((byte) => byte === 0)) {
        throw new TarFormatError(`the closing block at byte ${position + BLOCK} is not zero`);
      }
      return;
    }
    const header = decodeHeader(block);
    if (!header) throw new TarFormatError(`damaged entry header at byte ${position}`);
    const start = position + BLOCK;
    const pad = padding(header.size);
    if (start + header.size + pad > length) throw new TarFormatError(`${header.name} is cut short`);
    position = start + header.size + pad;
    yield {
      ...header,
      async *content() {
        for (let at = 0; at < header.size; at += CHUNK) {
          yield await read(start + at, Math.min(CHUNK, header.size - at));
        }
      },
    };
    if (pad > 0 && !(await read(start + header.size, pad)).every((byte) => byte === 0)) {
      throw new TarFormatError(`the padding after ${header.name} is not zero`);
    }
  }
}
