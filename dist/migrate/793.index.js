export const id = 793;
export const ids = [793];
export const modules = {

/***/ 5793:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   SUPABASE_DEFAULT_EXTENSIONS: () => (/* binding */ SUPABASE_DEFAULT_EXTENSIONS),
/* harmony export */   SUPABASE_ROLES: () => (/* binding */ SUPABASE_ROLES),
/* harmony export */   createSupabaseStandIns: () => (/* binding */ createSupabaseStandIns),
/* harmony export */   supabaseDatabaseSettings: () => (/* binding */ supabaseDatabaseSettings),
/* harmony export */   wantedExtensions: () => (/* binding */ wantedExtensions)
/* harmony export */ });
/* harmony import */ var _shared_errors_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(2635);
// Supabase platform stand-ins for `verify`. A Supabase project's migrations assume what the platform creates before
// any of them runs: the roles anon / authenticated / service_role, the auth and storage schemas with their tables
// and helper functions, and an `extensions` schema (on the search path) holding uuid-ossp and pgcrypto. Replayed on
// a bare CREATE DATABASE, the first `auth.uid()` or `to authenticated` fails; these stand-ins let a Supabase folder
// be verified on any PostgreSQL. They are shaped like the platform's own objects (columns and functions that
// migrations use), but they are not Supabase: nothing here authenticates anyone.
//
// Roles are cluster-wide in PostgreSQL: they are created idempotently (an existing role is left as it is) and stay
// on the server after the throw-away database is dropped.

const SUPABASE_ROLES = [
    'anon',
    'authenticated',
    'service_role',
    'supabase_admin',
    'authenticator',
    'supabase_auth_admin',
    'supabase_storage_admin',
    'dashboard_user',
];
/** The extensions a new Supabase project has in schema `extensions` before any migration runs. */
const SUPABASE_DEFAULT_EXTENSIONS = ['uuid-ossp', 'pgcrypto'];
/** Database-level settings, set before the replay connects (ALTER DATABASE applies to new sessions). */
function supabaseDatabaseSettings(database) {
    return `ALTER DATABASE ${database} SET search_path = "$user", public, extensions`;
}
const role = (name, options) => `DO $$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '${name}') THEN CREATE ROLE ${name} ${options}; END IF;
EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; -- another verify created it at the same moment
END $$`;
const ROLES_SQL = [
    role('anon', 'NOLOGIN NOINHERIT'),
    role('authenticated', 'NOLOGIN NOINHERIT'),
    role('service_role', 'NOLOGIN NOINHERIT BYPASSRLS'),
    role('supabase_admin', 'NOLOGIN'),
    role('authenticator', 'NOLOGIN NOINHERIT'),
    role('supabase_auth_admin', 'NOLOGIN NOINHERIT'),
    role('supabase_storage_admin', 'NOLOGIN NOINHERIT'),
    role('dashboard_user', 'NOLOGIN'),
].join(';\n');
/** The auth and storage schemas as migrations see them (the columns and functions they reference). */
const SCHEMAS_SQL = `
CREATE SCHEMA IF NOT EXISTS extensions;
CREATE SCHEMA IF NOT EXISTS auth;
CREATE SCHEMA IF NOT EXISTS storage;

CREATE TABLE IF NOT EXISTS auth.users (
  instance_id uuid, id uuid PRIMARY KEY, aud varchar(255), role varchar(255), email varchar(255), encrypted_password varchar(255),
  email_confirmed_at timestamptz, invited_at timestamptz, confirmation_token varchar(255), confirmation_sent_at timestamptz,
  recovery_token varchar(255), recovery_sent_at timestamptz, email_change_token_new varchar(255), email_change varchar(255),
  email_change_sent_at timestamptz, last_sign_in_at timestamptz, raw_app_meta_data jsonb, raw_user_meta_data jsonb,
  is_super_admin boolean, created_at timestamptz, updated_at timestamptz, phone text UNIQUE, phone_confirmed_at timestamptz,
  phone_change text DEFAULT '', phone_change_token varchar(255) DEFAULT '', phone_change_sent_at timestamptz,
  confirmed_at timestamptz GENERATED ALWAYS AS (LEAST(email_confirmed_at, phone_confirmed_at)) STORED,
  email_change_token_current varchar(255) DEFAULT '', email_change_confirm_status smallint DEFAULT 0, banned_until timestamptz,
  reauthentication_token varchar(255) DEFAULT '', reauthentication_sent_at timestamptz, is_sso_user boolean NOT NULL DEFAULT false,
  deleted_at timestamptz, is_anonymous boolean NOT NULL DEFAULT false
);
CREATE TABLE IF NOT EXISTS auth.identities (
  provider_id text NOT NULL, user_id uuid NOT NULL REFERENCES auth.users (id) ON DELETE CASCADE, identity_data jsonb NOT NULL,
  provider text NOT NULL, last_sign_in_at timestamptz, created_at timestamptz, updated_at timestamptz,
  email text GENERATED ALWAYS AS (lower(identity_data ->> 'email')) STORED, id uuid PRIMARY KEY DEFAULT gen_random_uuid()
);

-- As the platform defines them: the request's JWT claims, set by PostgREST per request.
CREATE OR REPLACE FUNCTION auth.uid() RETURNS uuid LANGUAGE sql STABLE AS $$
  SELECT coalesce(nullif(current_setting('request.jwt.claim.sub', true), ''), (nullif(current_setting('request.jwt.claims', true), '')::jsonb ->> 'sub'))::uuid
$$;
CREATE OR REPLACE FUNCTION auth.role() RETURNS text LANGUAGE sql STABLE AS $$
  SELECT coalesce(nullif(current_setting('request.jwt.claim.role', true), ''), (nullif(current_setting('request.jwt.claims', true), '')::jsonb ->> 'role'))::text
$$;
CREATE OR REPLACE FUNCTION auth.email() RETURNS text LANGUAGE sql STABLE AS $$
  SELECT coalesce(nullif(current_setting('request.jwt.claim.email', true), ''), (nullif(current_setting('request.jwt.claims', true), '')::jsonb ->> 'email'))::text
$$;
CREATE OR REPLACE FUNCTION auth.jwt() RETURNS jsonb LANGUAGE sql STABLE AS $$
  SELECT coalesce(nullif(current_setting('request.jwt.claim', true), ''), nullif(current_setting('request.jwt.claims', true), ''))::jsonb
$$;

CREATE TABLE IF NOT EXISTS storage.buckets (
  id text PRIMARY KEY, name text NOT NULL, owner uuid, created_at timestamptz DEFAULT now(), updated_at timestamptz DEFAULT now(),
  public boolean DEFAULT false, avif_autodetection boolean DEFAULT false, file_size_limit bigint, allowed_mime_types text[], owner_id text
);
CREATE UNIQUE INDEX IF NOT EXISTS bname ON storage.buckets (name);
CREATE TABLE IF NOT EXISTS storage.objects (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(), bucket_id text REFERENCES storage.buckets (id), name text, owner uuid,
  created_at timestamptz DEFAULT now(), updated_at timestamptz DEFAULT now(), last_accessed_at timestamptz DEFAULT now(),
  metadata jsonb, path_tokens text[] GENERATED ALWAYS AS (string_to_array(name, '/')) STORED, version text, owner_id text,
  user_metadata jsonb
);
CREATE UNIQUE INDEX IF NOT EXISTS bucketid_objname ON storage.objects (bucket_id, name);
ALTER TABLE storage.objects ENABLE ROW LEVEL SECURITY;
ALTER TABLE storage.buckets ENABLE ROW LEVEL SECURITY;
CREATE OR REPLACE FUNCTION storage.foldername(name text) RETURNS text[] LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE _parts text[];
BEGIN
  SELECT string_to_array(name, '/') INTO _parts;
  RETURN _parts[1:array_length(_parts, 1) - 1];
END $$;
CREATE OR REPLACE FUNCTION storage.filename(name text) RETURNS text LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE _parts text[];
BEGIN
  SELECT string_to_array(name, '/') INTO _parts;
  RETURN _parts[array_length(_parts, 1)];
END $$;
CREATE OR REPLACE FUNCTION storage.extension(name text) RETURNS text LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE _parts text[]; _filename text;
BEGIN
  SELECT string_to_array(name, '/') INTO _parts;
  SELECT _parts[array_length(_parts, 1)] INTO _filename;
  RETURN reverse(split_part(reverse(_filename), '.', 1));
END $$;

GRANT USAGE ON SCHEMA public, auth, storage, extensions TO anon, authenticated, service_role;
GRANT ALL ON ALL TABLES IN SCHEMA storage TO anon, authenticated, service_role;
GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA auth, storage TO anon, authenticated, service_role;
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT ALL ON TABLES TO anon, authenticated, service_role;
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT ALL ON FUNCTIONS TO anon, authenticated, service_role;
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT ALL ON SEQUENCES TO anon, authenticated, service_role;
`;
/** Every `CREATE EXTENSION` in the folder, first occurrence of each name. */
function wantedExtensions(prepared) {
    const seen = new Map();
    for (const p of prepared)
        for (const s of p.statements)
            if (s.kind === 'CreateExtensionStmt' && typeof s.node.extname === 'string' && !seen.has(s.node.extname))
                seen.set(s.node.extname, { name: s.node.extname, file: p.file, offset: s.offset });
    return [...seen.values()];
}
/** Creates the stand-ins in the throw-away database `db` (connected to it) and checks the folder's extensions. */
async function createSupabaseStandIns(db, prepared) {
    try {
        await db.query(ROLES_SQL);
    }
    catch (error) {
        throw new _shared_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .ShiplineError */ .J0(`verify's Supabase stand-ins need the roles ${SUPABASE_ROLES.join(', ')} on the server, and creating them failed: ${error.message}`, {
            hint: "Roles are cluster-wide: verify with a user that has CREATEROLE (a CI service container or a local server), create the roles once by hand, or set input 'stand-ins: none'.",
            cause: error,
        });
    }
    await db.query(SCHEMAS_SQL);
    const { rows } = await db.query('SELECT name FROM pg_available_extensions');
    const available = new Set(rows.map((r) => String(r.name)));
    const defaults = SUPABASE_DEFAULT_EXTENSIONS.filter((e) => available.has(e));
    for (const name of defaults)
        await db.query(`CREATE EXTENSION IF NOT EXISTS "${name}" WITH SCHEMA extensions`);
    const missing = wantedExtensions(prepared).filter((e) => !available.has(e.name));
    return {
        created: [
            `roles ${SUPABASE_ROLES.join(', ')} (cluster-wide, kept)`,
            'schema auth (users, identities, uid(), role(), email(), jwt())',
            'schema storage (buckets, objects, foldername(), filename(), extension())',
            `schema extensions${defaults.length > 0 ? ` with ${defaults.join(', ')}` : ''}, on the search path`,
        ],
        missing,
    };
}


/***/ })

};
