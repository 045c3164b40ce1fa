import { spawn } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import type { Manifest } from './manifest.ts';
import { pgConnection, quoteIdent, requirePgTool, waitFor } from './pg-tools.ts';

export interface DumpTarget {
  /** The schema the restored store is to live in (the target connection's search_path). */
  schema: string;
  /** It exists already, empty (a new database's `public`, a schema made for the restore). */
  exists: boolean;
}

/**
 * Loads a pg_dump archive into `target` in ONE transaction (psql --single-transaction, stopping at
 * the first error): either the whole store is there afterwards or nothing is. The dump names its
 * own schema in every statement, so a dump of schema S lands in S: an existing empty target of the
 * same name is kept (its CREATE SCHEMA left out of the list), a target of another name is dropped
 * if empty and S renamed to it at the end. Extensions (pg_trgm) are created, if missing, after the
 * tables and before the indexes that use them.
 */
export async function loadPostgresDump(input: {
  url: string;
  dump: string;
  /** A scratch file for pg_restore's table of contents. */
  listFile: string;
  source: NonNullable<Manifest['postgres']>;
  target: DumpTarget;
}): Promise<void> {
  const { url, dump, source, target } = input;
  const { dbname, env } = pgConnection(url);
  const same = source.schema === target.schema;
  const list =
    same && target.exists ? await listWithoutSchema(dump, source.schema, input.listFile, env) : null;

  const psql = spawn(
    requirePgTool('psql'),
    [
      '--no-psqlrc',
      '--quiet',
      '--set=ON_ERROR_STOP=1',
      '--single-transaction',
      `--dbname=${dbname}`,
      '--file=-',
    ],
    { env, stdio: ['pipe', 'ignore', 'pipe'] },
  );
  const loaded = waitFor(psql, 'psql');
  psql.stdin.on('error', () => undefined); // psql stopped at an error: `loaded` says which
  const write = (data: string | Buffer) =>
    new Promise<void>((resolve, reject) =>
      psql.stdin.write(data, (error) => (error ? reject(error) : resolve())),
    );
  const section = async (name: 'pre-data' | 'data' | 'post-data', useList: string | null) => {
    const restore = spawn(
      requirePgTool('pg_restore'),
      [
        `--section=${name}`,
        '--no-owner',
        '--no-privileges',
        ...(useList ? [`--use-list=${useList}`] : []),
        '--file=-',
        dump,
      ],
      { env, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const finished = waitFor(restore, 'pg_restore');
    for await (const chunk of restore.stdout as AsyncIterable<Buffer>) await write(chunk);
    await finished;
  };
  try {
    if (target.exists && !same) await write(`DROP SCHEMA ${quoteIdent(target.schema)};\n`);
    await section('pre-data', list);
    for (const e of source.extensions) {
      await write(`CREATE EXTENSION IF NOT EXISTS ${quoteIdent(e.name)} SCHEMA ${quoteIdent(e.schema)};\n`);
    }
    await section('data', null);
    await section('post-data', null);
    if (!same)
      await write(`ALTER SCHEMA ${quoteIdent(source.schema)} RENAME TO ${quoteIdent(target.schema)};\n`);
  } catch (error) {
    // At the end of its input psql would COMMIT what it has: killed, its transaction rolls back.
    psql.kill('SIGKILL');
    await loaded.catch(() => undefined);
    throw error;
  }
  psql.stdin.end();
  await loaded;
}

/** pg_restore's table of contents less the schema's own CREATE SCHEMA and COMMENT ON SCHEMA. */
async function listWithoutSchema(
  dump: string,
  schema: string,
  file: string,
  env: NodeJS.ProcessEnv,
): Promise<string> {
  const child = spawn(requirePgTool('pg_restore'), ['--list', dump], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const finished = waitFor(child, 'pg_restore');
  let text = '';
  for await (const chunk of child.stdout as AsyncIterable<Buffer>) text += chunk.toString('utf8');
  await finished;
  // Entries read `<id>; <oid> <oid> SCHEMA - <name> <owner>` and `… COMMENT - SCHEMA <name> <owner>`.
  const own = (line: string) => {
    const m = /^\d+; \d+ \d+ (SCHEMA - |COMMENT - SCHEMA )(\S+) /.exec(line);
    return m !== null && (m[2] === schema || m[2] === quoteIdent(schema));
  };
  await writeFile(
    file,
    text
      .split('\n')
      .filter((line) => !own(line))
      .join('\n'),
  );
  return file;
}
