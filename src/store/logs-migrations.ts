import type { Migration } from './migrations.js';
import { recordsMigration } from './records.js';

/** The schema of `<dataDir>/logs.sqlite` (src/store/logs.ts), in its own list: the logs store is its own file. */
export const LOGS_MIGRATIONS: Migration[] = [
  {
    id: 1,
    name: 'log groups, streams and events',
    sql: `
CREATE TABLE log_groups (
  name TEXT PRIMARY KEY,
  created_at INTEGER NOT NULL,
  retention_days INTEGER
);
CREATE TABLE log_streams (
  grp TEXT NOT NULL REFERENCES log_groups(name) ON DELETE CASCADE,
  name TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (grp, name)
);
CREATE TABLE log_events (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  grp TEXT NOT NULL,
  stream TEXT NOT NULL,
  ts INTEGER NOT NULL,
  ingested INTEGER NOT NULL,
  message TEXT NOT NULL,
  FOREIGN KEY (grp, stream) REFERENCES log_streams(grp, name) ON DELETE CASCADE
);
CREATE INDEX log_events_by_group_time ON log_events (grp, ts, id);
CREATE INDEX log_events_by_stream ON log_events (grp, stream, id);
`,
  },
  // Log group tags (kind `tags`, by `<group>@<createdAt>`).
  recordsMigration,
  {
    id: 100,
    name: 'log events keyed by integer group and stream ids (cheaper inserts), existing data kept',
    // Each event used to carry its group and stream names, in two text indexes: most of an insert's cost. Groups and
    // streams get integer ids; events keep theirs (the position tokens are made of them) and the AUTOINCREMENT
    // high-water mark, so an id is never handed out twice. The indexes are the two the reads use: a group's events
    // by time (FilterLogEvents, retention) and a stream's by id (GetLogEvents, stream statistics, cascades).
    sql: `
CREATE TABLE cw_groups (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  created_at INTEGER NOT NULL,
  retention_days INTEGER
);
CREATE TABLE cw_streams (
  id INTEGER PRIMARY KEY,
  group_id INTEGER NOT NULL REFERENCES cw_groups(id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  UNIQUE (group_id, name)
);
CREATE TABLE cw_events (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  group_id INTEGER NOT NULL,
  stream_id INTEGER NOT NULL REFERENCES cw_streams(id) ON DELETE CASCADE,
  ts INTEGER NOT NULL,
  ingested INTEGER NOT NULL,
  message TEXT NOT NULL
);
INSERT INTO cw_groups (name, created_at, retention_days)
  SELECT name, created_at, retention_days FROM log_groups ORDER BY name;
INSERT INTO cw_streams (group_id, name, created_at)
  SELECT g.id, s.name, s.created_at FROM log_streams s JOIN cw_groups g ON g.name = s.grp ORDER BY g.id, s.name;
INSERT INTO cw_events (id, group_id, stream_id, ts, ingested, message)
  SELECT e.id, s.group_id, s.id, e.ts, e.ingested, e.message
  FROM log_events e JOIN cw_groups g ON g.name = e.grp JOIN cw_streams s ON s.group_id = g.id AND s.name = e.stream
  ORDER BY e.id;
INSERT INTO sqlite_sequence (name, seq)
  SELECT 'cw_events', seq FROM sqlite_sequence WHERE name = 'log_events'
  AND NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = 'cw_events');
UPDATE sqlite_sequence SET seq = max(seq, coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'log_events'), 0))
  WHERE name = 'cw_events';
DROP TABLE log_events;
DROP TABLE log_streams;
DROP TABLE log_groups;
CREATE INDEX cw_events_by_group_time ON cw_events (group_id, ts);
CREATE INDEX cw_events_by_stream ON cw_events (stream_id);
`,
  },
];
