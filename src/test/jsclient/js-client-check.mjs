// The official ClickHouse JS client against the embedded engine, as a user of it would connect:
// CH_URL, CH_USER, CH_PASSWORD, CH_DATABASE. Prints one line per check and exits 1 on the first failure.
import { ClickHouseLogLevel, createClient } from '@clickhouse/client';

const { CH_URL, CH_USER, CH_PASSWORD, CH_DATABASE } = process.env;
// The refusals below are expected; the client would log each as an error.
const quiet = { level: ClickHouseLogLevel.OFF };
const client = createClient({ url: CH_URL, username: CH_USER, password: CH_PASSWORD, database: CH_DATABASE, log: quiet });
const table = 'js_client_check';

function check(ok, what) {
  if (!ok) {
    console.log(`FAILED ${what}`);
    process.exit(1);
  }
  console.log(`ok ${what}`);
}

async function refused(c, query) {
  try {
    await c.query({ query, format: 'JSONEachRow' });
    return null;
  } catch (e) {
    return e;
  }
}

const ping = await client.ping();
check(ping.success, 'ping');
await client.command({ query: `CREATE TABLE IF NOT EXISTS ${table} (id UInt32, name String) ENGINE = MergeTree ORDER BY id` });
await client.command({ query: `TRUNCATE TABLE ${table}` });
await client.insert({ table, values: [{ id: 1, name: 'one' }, { id: 2, name: 'two;\n\nDROP TABLE x' }], format: 'JSONEachRow' });
const rows = await (await client.query({
  query: `SELECT id, name FROM ${table} WHERE id >= {min:UInt32} ORDER BY id`,
  query_params: { min: 1 },
  format: 'JSONEachRow',
})).json();
check(rows.length === 2 && rows[1].name === 'two;\n\nDROP TABLE x', `insert and select with a parameter: ${JSON.stringify(rows)}`);

const file = await refused(client, "SELECT * FROM file('/etc/passwd', 'LineAsString')");
check(file !== null && String(file.code) === '497' && file.type === 'ACCESS_DENIED',
  `file() refused with the credential: ${file && file.type}: ${file && file.message}`);

const stranger = createClient({ url: CH_URL, username: CH_USER, password: 'wrong', database: CH_DATABASE, log: quiet });
const denied = await refused(stranger, 'SELECT 1');
check(denied !== null && String(denied.code) === '516', `a wrong password refused: ${denied && denied.message}`);
await stranger.close();

await client.command({ query: `DROP TABLE ${table}` });
await client.close();
console.log('ALL-PASSED');
